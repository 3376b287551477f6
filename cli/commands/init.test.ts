import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../compiler/load/load-project.ts';
import { compileProject } from '../../pipeline/compile.ts';
import { runMain } from '../../test/support/run-main.ts';
import { scaffold, TEMPLATES_DIR } from './init.ts';

const tmp = mkdtempSync(join(tmpdir(), 'modelgate-init-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (...args: string[]) => runMain('init', ...args);

describe('modelgate init', () => {
  const dir = join(tmp, 'repo');

  it('scaffolds a config repo that validates with zero findings, errors or warnings, in every environment', async () => {
    const { code, stdout } = await run(dir);
    expect(code).toBe(0);
    expect(stdout).toContain('gateway.yaml');
    for (const folder of ['providers', 'routes', 'prompts', 'consumers', 'access', 'environments'])
      expect(readdirSync(join(dir, folder)).length).toBeGreaterThan(0);
    expect(readdirSync(join(dir, 'environments')).sort()).toEqual(['dev.yaml', 'prod.yaml']);
    const loaded = loadProject(dir);
    expect(loaded.diagnostics).toEqual([]);
    for (const file of loaded.files)
      expect(file.text, file.path).toMatch(
        /^# yaml-language-server: \$schema=https:\/\/modelgate\.dev\/schema\/v1\/[a-z]+\.schema\.json\n/,
      );
    // A starter that warns teaches people to ignore warnings.
    expect(compileProject(dir, { env: 'all' }).diagnostics).toEqual([]);
  });

  it('copies the GitLab CI template when it exists, and only then', () => {
    const expected = existsSync(join(TEMPLATES_DIR, 'gitlab-ci.yml'));
    expect(existsSync(join(dir, '.gitlab-ci.yml'))).toBe(expected);
    const templates = join(tmp, 'templates');
    mkdirSync(join(templates, 'starter'), { recursive: true });
    writeFileSync(join(templates, 'starter', 'gateway.yaml'), 'x');
    expect(scaffold(join(tmp, 'without-ci'), { templatesDir: templates })).toEqual(['gateway.yaml']);
    writeFileSync(join(templates, 'gitlab-ci.yml'), 'stages: [validate]\n');
    expect(scaffold(join(tmp, 'with-ci'), { templatesDir: templates })).toEqual(['.gitlab-ci.yml', 'gateway.yaml']);
    expect(readFileSync(join(tmp, 'with-ci', '.gitlab-ci.yml'), 'utf8')).toBe('stages: [validate]\n');
  });

  it('refuses a folder that is not empty with exit 2, unless --force', async () => {
    writeFileSync(join(dir, 'routes', 'chat.yaml'), 'edited by the user\n');
    const refused = await run(dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not empty');
    expect(refused.stderr).not.toMatch(/^\s+at /m);
    expect(readFileSync(join(dir, 'routes', 'chat.yaml'), 'utf8')).toBe('edited by the user\n');
    expect((await run(dir, '--force')).code).toBe(0);
    expect(readFileSync(join(dir, 'routes', 'chat.yaml'), 'utf8')).toContain('kind: Route');
  });

  it('accepts a folder that only holds a git repository', async () => {
    const gitRepo = join(tmp, 'git-repo');
    mkdirSync(join(gitRepo, '.git'), { recursive: true });
    expect((await run(gitRepo)).code).toBe(0);
    expect(existsSync(join(gitRepo, 'gateway.yaml'))).toBe(true);
  });
});
