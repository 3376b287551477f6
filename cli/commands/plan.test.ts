import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../../test/support/run-main.ts';

const ACME = fileURLToPath(new URL('../../fixtures/acme/', import.meta.url));

describe('modelgate plan and its cache', () => {
  let head: string;
  beforeAll(() => {
    head = mkdtempSync(join(tmpdir(), 'mg-plan-cli-'));
    cpSync(ACME, head, { recursive: true });
    const route = join(head, 'routes/summarize.yaml');
    writeFileSync(route, readFileSync(route, 'utf8').replace('maxTokens: 512', 'maxTokens: 1024'));
  });
  it('keeps its cache in .modelgate/cache of the config root by default, and the second plan prints the same', async () => {
    const first = await runMain('plan', head, '--base', ACME, '--env', 'prod');
    expect(first.code).toBe(2);
    expect(readdirSync(join(head, '.modelgate/cache')).sort()).toEqual(['.gitignore', 'CACHEDIR.TAG', 'current', 'parse', 'side']);
    expect(await runMain('plan', head, '--base', ACME, '--env', 'prod')).toEqual(first);
  });

  it('writes where --cache-dir says, and nothing at all with --no-cache', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mg-plan-cli-'));
    cpSync(head, root, { recursive: true, filter: (path) => !path.includes('.modelgate') });
    const dir = join(mkdtempSync(join(tmpdir(), 'mg-plan-cli-cache-')), 'cache');
    const cached = await runMain('plan', root, '--base', ACME, '--env', 'prod', '--cache-dir', dir);
    expect(existsSync(join(dir, 'side'))).toBe(true);
    const uncached = await runMain('plan', root, '--base', ACME, '--env', 'prod', '--no-cache');
    expect(uncached).toEqual(cached);
    expect(existsSync(join(root, '.modelgate'))).toBe(false);
  });
});
