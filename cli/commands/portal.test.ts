import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../../test/support/run-main.ts';

const acme = new URL('../../fixtures/acme', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'mg-portal-cli-'));
const saved = { CI_PROJECT_URL: process.env.CI_PROJECT_URL, CI_DEFAULT_BRANCH: process.env.CI_DEFAULT_BRANCH };

afterEach(() => {
  for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('modelgate portal', () => {
  it('writes the site, with GitLab links from CI_PROJECT_URL and CI_DEFAULT_BRANCH, and removes pages of an earlier run', async () => {
    const out = join(scratch, 'public');
    mkdirSync(join(out, 'routes'), { recursive: true });
    writeFileSync(join(out, 'routes/removed-route.html'), 'stale');
    process.env.CI_PROJECT_URL = 'https://gitlab.example/acme/ai-gateway-config';
    process.env.CI_DEFAULT_BRANCH = 'trunk';
    const run = await runMain('portal', acme, '--env', 'prod', '--out', out, '--gateway-url', 'https://llm.acme.example/');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`Wrote the prod portal: 15 pages in ${out}\n`);
    expect(existsSync(join(out, 'routes/removed-route.html'))).toBe(false);
    const page = readFileSync(join(out, 'routes/chat-premium.html'), 'utf8');
    expect(page).toContain('href="https://gitlab.example/acme/ai-gateway-config/-/new/trunk/fixtures/acme/access?file_name=');
    expect(page).toContain('href="https://gitlab.example/acme/ai-gateway-config/-/blob/trunk/fixtures/acme/routes/chat-premium.yaml"');
    expect(page).toContain('curl -s &#39;https://llm.acme.example/v1/chat/completions&#39;');
    expect(run.stderr).toBe('');
  });

  it('without a GitLab project or gateway URL: the file to add, examples on localhost, and a note on each', async () => {
    delete process.env.CI_PROJECT_URL;
    const out = join(scratch, 'bare');
    const run = await runMain('portal', acme, '--env', 'dev', '--out', out);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('no --gateway-url');
    expect(run.stderr).toContain('no --gitlab-project-url');
    const page = readFileSync(join(out, 'prompts/support-reply.html'), 'utf8');
    expect(page).toContain('http://localhost:8080/v1/prompts/support-reply');
    expect(page).not.toContain('/-/new/');
    expect(page).toContain('Add this file as <code class="file-name">');
  });

  it('refuses (exit 2) an --out whose routes/ or prompts/ hold the config, and deletes nothing', async () => {
    const repo = join(scratch, 'starter');
    expect((await runMain('init', repo)).code).toBe(0);
    const run = await runMain('portal', repo, '--env', 'prod', '--out', repo);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('holds config files (routes/chat.yaml)');
    expect(existsSync(join(repo, 'routes/chat.yaml'))).toBe(true);
    expect(existsSync(join(repo, 'index.html'))).toBe(false);
    // A config with no route, prompt or MCP server: the catalogue alone, said in the singular.
    for (const folder of ['routes', 'prompts', 'access']) rmSync(join(repo, folder), { recursive: true });
    const out = join(scratch, 'empty-portal');
    const empty = await runMain('portal', repo, '--env', 'prod', '--out', out);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toBe(`Wrote the prod portal: 1 page in ${out}\n`);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('0 services');
  });

  it('exits 2 on a URL that is not http(s) or a missing environment, 1 when the config does not compile', async () => {
    const bad = await runMain('portal', acme, '--env', 'prod', '--out', join(scratch, 'x'), '--gitlab-project-url', 'javascript:alert(1)');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--gitlab-project-url expects an http(s) URL, got "javascript:alert(1)"');
    expect((await runMain('portal', acme, '--out', join(scratch, 'x'))).code).toBe(2);
    // A portal is of one environment: "all" names several (it picked the first, silently).
    const all = await runMain('portal', acme, '--env', 'all', '--out', join(scratch, 'x'));
    expect(all.code).toBe(2);
    expect(all.stderr).toContain('--env all names 4 environments');
    expect(existsSync(join(scratch, 'x'))).toBe(false);
    const broken = join(scratch, 'broken');
    mkdirSync(broken);
    writeFileSync(
      join(broken, 'route.yaml'),
      'apiVersion: modelgate.dev/v1\nkind: Route\nmetadata: {name: r}\nspec: {targets: [{provider: nope, model: m}]}\n',
    );
    const run = await runMain('portal', broken, '--env', 'all', '--out', join(scratch, 'y'));
    expect(run.code).toBe(1);
    expect(existsSync(join(scratch, 'y'))).toBe(false);
  });
});
