import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../kernel/errors.ts';
import { compileProject, compileSources } from './compile.ts';

const ACME = new URL('../fixtures/acme/', import.meta.url).pathname;

function acmeSources(): { path: string; text: string }[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
  return walk(ACME)
    .filter((f) => /\.ya?ml$/.test(f) && !f.includes('/policies/'))
    .map((f) => ({ path: relative(ACME, f), text: readFileSync(f, 'utf8') }));
}

describe('compileProject on fixtures/acme', () => {
  it('compiles every environment without errors and builds an IR for each', () => {
    const result = compileProject(ACME, { env: 'all' });
    expect(result.diagnostics.filter((d) => d.severity === 'error' && !d.suppressed)).toEqual([]);
    expect(result.environments.map((e) => [e.environment.name, Boolean(e.ir)])).toEqual([
      ['dev', true],
      ['local', true],
      ['prod', true],
      ['staging', true],
    ]);
  });

  // Tests of the targets build from one memoized compile (test/support/acme.ts): this is where compiling twice is checked.
  it.each(['prod', 'dev'])('gives a byte-identical IR for the same input (%s)', (env) => {
    const a = JSON.stringify(compileProject(ACME, { env }).ir);
    const b = JSON.stringify(compileProject(ACME, { env }).ir);
    expect(a).toBe(b);
    expect(JSON.parse(a).environment).toEqual({ name: env, tier: env === 'prod' ? 'production' : 'development' });
  });

  it('refuses an unknown environment with a suggestion', () => {
    expect(() => compileProject(ACME, { env: 'prdo' })).toThrow(UsageError);
    expect(() => compileProject(ACME, { env: 'prdo' })).toThrow(/Did you mean "prod"\?/);
  });
});

describe('findings across environments', () => {
  const withBrokenRef = (transform: (files: { path: string; text: string }[]) => void) => {
    const files = acmeSources();
    transform(files);
    return compileSources(files, { env: 'all' });
  };

  it('reports a base finding once, untagged, and an overlay finding tagged with its environment', () => {
    const result = withBrokenRef((files) => {
      const prod = files.find((f) => f.path === 'environments/prod.yaml')!;
      prod.text += `    - target: { kind: Route, name: chat-defualt }\n      patch: { spec: { maxTokens: 10 } }\n`;
      const route = files.find((f) => f.path.startsWith('prompts/'))!;
      route.text = route.text.replace(/route: (\S+)/, 'route: no-such-route');
    });
    const refs = result.diagnostics.filter((d) => d.ruleId === 'reference');
    const patch = refs.find((d) => d.file === 'environments/prod.yaml');
    expect(patch).toMatchObject({ environment: 'prod' });
    expect(patch!.message).toContain('Did you mean "chat-default"?');
    const prompt = refs.filter((d) => d.file.startsWith('prompts/'));
    expect(prompt).toHaveLength(1);
    expect(prompt[0]!.environment).toBeUndefined();
    expect(result.environments.find((e) => e.environment.name === 'prod')!.ir).toBeUndefined();
  });
});
