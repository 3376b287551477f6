import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore, type CacheStore } from '../cache/store.ts';
import { computePlan } from './compute.ts';
import { renderPlanJson } from './render-json.ts';
import { renderPlanMarkdown } from './render-markdown.ts';
import { renderPlanText } from './render-text.ts';

const ACME = fileURLToPath(new URL('../../fixtures/acme/', import.meta.url));
const TODAY = '2026-01-15';

/** A head that changes a value, drops a field (the plan points into the base for it) and a whole resource. */
function changedCopy(): string {
  const head = mkdtempSync(join(tmpdir(), 'mg-plan-head-'));
  cpSync(ACME, head, { recursive: true });
  const edit = (file: string, from: string, to: string) => {
    const text = readFileSync(join(head, file), 'utf8');
    expect(text).toContain(from);
    writeFileSync(join(head, file), text.replace(from, to));
  };
  edit('routes/summarize.yaml', 'maxTokens: 512', 'maxTokens: 1024');
  edit('routes/summarize.yaml', '  description: Summaries of support tickets; identical tickets are answered from the cache.\n', '');
  rmSync(join(head, 'policies/prompt-temperature-bounded.yaml'));
  return head;
}

async function plan(head: string, env: string, cache?: CacheStore): Promise<string> {
  const result = await computePlan({ root: head, base: ACME, env, cache, today: TODAY });
  return [renderPlanText(result), renderPlanJson(result), renderPlanMarkdown(result)].join('\n=====\n');
}

function sideEntries(dir: string, kind = 'side'): string[] {
  const sides = join(dir, kind);
  return readdirSync(sides).flatMap((shard) => readdirSync(join(sides, shard)).map((name) => join(sides, shard, name)));
}

describe('computePlan with a cache', () => {
  let head: string;
  let uncached: Record<string, string>;
  beforeAll(async () => {
    head = changedCopy();
    uncached = { prod: await plan(head, 'prod'), all: await plan(head, 'all') };
  });

  it('plans byte-identically with no cache, a cold one and a warm one, and the warm run recomputes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-plan-cache-'));
    for (const env of ['prod', 'all']) {
      const cold = openStore(dir);
      expect(await plan(head, env, cold), env).toBe(uncached[env]);
      const warm = openStore(dir);
      expect(await plan(head, env, warm), env).toBe(uncached[env]);
      expect(warm.written, env).toBe(0);
    }
    expect(uncached.prod).toContain('- Policy/prompt-temperature-bounded  policies/prompt-temperature-bounded.yaml');
    expect(uncached.prod).toMatch(/~ Route\/summarize {2}routes\/summarize\.yaml:6\n {6}- metadata\.description/);
    expect(uncached.prod).toMatch(/^-\s+"maxTokens": 512,\n\+\s+"maxTokens": 1024,$/m);
  });

  it('ignores a corrupted base entry: the base is compiled again, with the same plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-plan-cache-'));
    await plan(head, 'prod', openStore(dir));
    const [entry] = sideEntries(dir);
    const bytes = readFileSync(entry!);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(entry!, bytes);
    const again = openStore(dir);
    expect(await plan(head, 'prod', again)).toBe(uncached.prod);
    expect(again.written).toBeGreaterThan(0);
  });

  it('compiles the base again when an artifact it differs from the head in is gone from the cache (pruned), with the same plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-plan-cache-'));
    await plan(head, 'prod', openStore(dir));
    for (const entry of sideEntries(dir, 'artifact')) rmSync(entry);
    const again = openStore(dir);
    expect(await plan(head, 'prod', again)).toBe(uncached.prod);
    expect(again.written).toBeGreaterThan(0);
  });

  it('keys a git revision by its tree: the same base is not exported again (no tar needed), another is planned afresh', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'mg-plan-git-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { encoding: 'utf8' });
    cpSync(ACME, join(repo, 'config'), { recursive: true });
    git('init', '-q', '--initial-branch=main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    // A change that points at no line of the base: the plan needs nothing of it beyond the cache.
    const route = join(repo, 'config/routes/summarize.yaml');
    writeFileSync(route, readFileSync(route, 'utf8').replace('maxTokens: 512', 'maxTokens: 1024'));
    const root = join(repo, 'config');
    const against = async (cache?: CacheStore) =>
      renderPlanText(await computePlan({ root, base: 'main', env: 'prod', cache, today: TODAY }));
    const dir = mkdtempSync(join(tmpdir(), 'mg-plan-cache-'));
    const cold = await against(openStore(dir));
    const warm = openStore(dir);
    // Exporting the base would run tar; only git is on the PATH now.
    const gitOnly = mkdtempSync(join(tmpdir(), 'mg-git-only-'));
    symlinkSync(execFileSync('which', ['git'], { encoding: 'utf8' }).trim(), join(gitOnly, 'git'));
    const path = process.env.PATH;
    process.env.PATH = gitOnly;
    try {
      expect(await against(warm)).toBe(cold);
    } finally {
      process.env.PATH = path;
    }
    expect(warm.written).toBe(0);
    expect(cold).toBe(await against());
    git('commit', '-q', '-am', 'the head becomes the base');
    const next = openStore(dir);
    expect(await against(next)).toBe(await against());
    expect(next.written).toBeGreaterThan(0);
  });

  it('compiles the base again when it changed, and plans what it is now', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-plan-cache-'));
    const base = mkdtempSync(join(tmpdir(), 'mg-plan-base-'));
    cpSync(ACME, base, { recursive: true });
    const against = async (cache?: CacheStore) => renderPlanText(await computePlan({ root: head, base, env: 'prod', cache, today: TODAY }));
    const before = await against(openStore(dir));
    writeFileSync(
      join(base, 'routes/summarize.yaml'),
      readFileSync(join(base, 'routes/summarize.yaml'), 'utf8').replace('maxTokens: 512', 'maxTokens: 256'),
    );
    const after = await against(openStore(dir));
    expect(after).not.toBe(before);
    expect(after).toBe(await against());
  });
});

describe('computePlan of a head whose files do not load', () => {
  it('still plans each environment, as its errors, so the note of the push before is replaced', async () => {
    const head = mkdtempSync(join(tmpdir(), 'mg-plan-broken-'));
    cpSync(ACME, head, { recursive: true });
    writeFileSync(join(head, 'environments/prod.yaml'), `${readFileSync(join(head, 'environments/prod.yaml'), 'utf8')}  broken: [\n`);
    for (const env of ['prod', 'all']) {
      const result = await computePlan({ root: head, base: ACME, env, today: TODAY });
      expect(result.environments.map((e) => e.environment)).toEqual(env === 'prod' ? ['prod'] : ['dev', 'local', 'prod', 'staging']);
      const prod = result.environments.find((e) => e.environment === 'prod')!;
      expect(prod.errors.map((d) => d.ruleId)).toEqual(['yaml-syntax']);
      expect(renderPlanMarkdown({ environments: [prod] })).toContain('**No plan** for `prod`: the errors below stop it.');
      expect(renderPlanText({ environments: [prod] })).toContain('No plan for prod: the errors above stop it.');
    }
    rmSync(head, { recursive: true, force: true });
  });
});
