import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../../test/support/run-main.ts';

const tmp = mkdtempSync(join(tmpdir(), 'modelgate-validate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A repository whose config is in `config/`, with one warning (a provider without a timeout). */
function repository(): { repo: string; config: string } {
  const repo = join(tmp, 'repo');
  mkdirSync(join(repo, '.git'), { recursive: true });
  const config = join(repo, 'config');
  cpSync(join(import.meta.dirname, '../../templates/starter'), config, { recursive: true });
  const provider = join(config, 'providers/ollama.yaml');
  writeFileSync(provider, readFileSync(provider, 'utf8').replace('  timeout: 60s\n', ''));
  return { repo, config };
}

describe('modelgate validate', () => {
  const { config } = repository();

  it('writes every --format FORMAT=FILE from one run, quiet on stdout, and says what it wrote on stderr', async () => {
    const quality = join(tmp, 'gl-code-quality-report.json');
    const junit = join(tmp, 'junit.xml');
    const { code, stdout, stderr } = await runMain('validate', config, '--format', `codequality=${quality}`, '--format', `junit=${junit}`);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toBe(`modelgate: wrote ${quality} (codequality), ${junit} (junit). ✖ 0 errors, 1 warning in 1 file\n`);
    expect(JSON.parse(readFileSync(quality, 'utf8'))).toMatchObject([
      { check_name: 'timeouts-bounded', location: { path: 'config/providers/ollama.yaml' } },
    ]);
    expect(readFileSync(junit, 'utf8')).toContain('config/providers/ollama.yaml');
  });

  it('run from inside the config folder, Code Quality paths still start at the repository root', async () => {
    const cwd = process.cwd();
    const quality = join(tmp, 'inside.json');
    try {
      process.chdir(config);
      expect((await runMain('validate', '.', '--format', 'codequality', '--output', quality)).stdout).toBe('');
    } finally {
      process.chdir(cwd);
    }
    expect(JSON.parse(readFileSync(quality, 'utf8'))[0].location.path).toBe('config/providers/ollama.yaml');
  });

  it('sends the one report without a file to stdout, and refuses two', async () => {
    const sarif = join(tmp, 'modelgate.sarif');
    const both = await runMain('validate', config, '--format', 'text', '--format', `sarif=${sarif}`);
    expect(both.stdout).toContain('timeouts-bounded');
    expect(both.stderr).toBe('');
    expect(JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results).toHaveLength(1);
    const two = await runMain('validate', config, '--format', 'text', '--format', 'json');
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('only one report can go to the terminal');
    const unknown = await runMain('validate', config, '--format', 'yaml=x');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown report format "yaml"');
  });
});
