import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runMain } from '../../test/support/run-main.ts';

const ACME = new URL('../../fixtures/acme/', import.meta.url).pathname;
const INVALID = new URL('../../fixtures/invalid/dangling-provider/', import.meta.url).pathname;

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('modelgate build', () => {
  it('writes every target for an environment, byte-identical across builds', async () => {
    const a = mkdtempSync(join(tmpdir(), 'mg-build-a-'));
    const b = mkdtempSync(join(tmpdir(), 'mg-build-b-'));
    const first = await runMain('build', ACME, '--env', 'prod', '--out', a);
    expect(first.code, first.stderr).toBe(0);
    expect((await runMain('build', ACME, '--env', 'prod', '--out', b)).code).toBe(0);
    const files = tree(a);
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['node/gateway.mjs', 'node/config.json', 'envoy/envoy.yaml', 'k8s/kustomization.yaml']),
    );
    expect(Object.keys(files).some((f) => f.startsWith('envoy-ai-gateway/'))).toBe(true);
    expect(tree(b)).toEqual(files);
    expect(JSON.parse(files['node/config.json']!).environment.name).toBe('prod');
    // The OpenAPI document of the environment: valid, with the acme code reviewer's own endpoint and its example.
    const openapi: any = parse(files['node/openapi.yaml']!);
    await SwaggerParser.validate(structuredClone(openapi));
    expect(openapi.paths['/ai-code-reviewer'].post.responses['200'].content['application/json'].examples).toHaveProperty([
      'a retry without idempotency key',
    ]);
  }, 120_000);

  it('counts what each target cannot express, and lists it all with --verbose', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mg-build-limits-'));
    const brief = await runMain('build', ACME, '--env', 'prod', '--out', out);
    const verbose = await runMain('build', ACME, '--env', 'prod', '--out', out, '--verbose');
    const listed = (target: string) =>
      verbose.stdout.split('\n').filter((l) => l.includes(` ${target}: `) && l.includes('[target-')).length;
    for (const target of ['envoy', 'envoy-ai-gateway']) {
      const n = listed(target);
      expect(n).toBeGreaterThan(0);
      expect(brief.stdout).toContain(`note: ${target} cannot fully express ${n} configured feature${n === 1 ? '' : 's'}`);
    }
    expect(brief.stdout).not.toContain('[target-');
    expect(verbose.stdout).not.toContain('cannot fully express');
  }, 120_000);

  it('refuses to build a config with errors and writes nothing', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mg-build-bad-'));
    const result = await runMain('build', INVALID, '--env', 'all', '--out', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('build refused');
    expect(readdirSync(out)).toEqual([]);
  });

  // Like portal, graph and usage: one environment's artifacts per --out (verify-plan checks one environment).
  it('refuses --env all on a config with several environments, naming them, and writes nothing', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mg-build-all-'));
    const result = await runMain('build', ACME, '--env', 'all', '--out', out);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--env all names 4 environments (dev, local, prod, staging): pick one.');
    expect(readdirSync(out)).toEqual([]);
  });

  it('treats an unknown target as a usage error', async () => {
    const result = await runMain('build', ACME, '--env', 'prod', '--target', 'nginx');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown target "nginx"');
  });
});
