import { describe, expect, it } from 'vitest';
import { applyEnvironment, environmentsOf } from '../environments/apply.ts';
import { loadSources } from '../load/load-project.ts';
import { buildIR } from './build.ts';

const route = (name: string, aliases: string) => `---
apiVersion: modelgate.dev/v1
kind: Route
metadata: { name: ${name} }
spec:
  ${aliases}
  targets: [{ provider: anthropic, model: claude-sonnet-4-5 }]
`;
const prod = `apiVersion: modelgate.dev/v1
kind: Environment
metadata: { name: prod }
spec:
  tier: production
  patches:
    - target: { kind: Route, name: premium }
      patch: { spec: { aliases: [claude-opus-*, claude-sonnet-*] } }
`;

function routesOf(files: string[], withProd = false) {
  const { resources, diagnostics } = loadSources(files.map((text, i) => ({ path: `f${i}.yaml`, text })));
  expect(diagnostics).toEqual([]);
  const env = withProd ? environmentsOf(resources)[0] : undefined;
  const effective = applyEnvironment(resources, env);
  expect(effective.diagnostics).toEqual([]);
  return buildIR(effective.resources, { name: env?.name ?? 'base', tier: 'development' }).routes;
}

describe('route aliases in the IR', () => {
  it('keeps exact ids and patterns apart, each sorted and without repeats, whatever the written order', () => {
    const [premium] = routesOf([
      route('premium', 'aliases: [claude-sonnet-*, claude-sonnet-4-5, "claude-*-4-5*", claude-opus-4-1-20250805]'),
    ]);
    expect(premium!.aliases).toEqual({
      exact: ['claude-opus-4-1-20250805', 'claude-sonnet-4-5'],
      patterns: ['claude-*-4-5*', 'claude-sonnet-*'],
    });
    const [again] = routesOf([
      route('premium', 'aliases: [claude-opus-4-1-20250805, "claude-*-4-5*", claude-sonnet-4-5, claude-sonnet-*]'),
    ]);
    expect(JSON.stringify(again)).toBe(JSON.stringify(premium));
  });

  it('leaves the field out of a route without aliases', () => {
    const [plain] = routesOf([route('plain', 'aliases: []')]);
    expect(plain).not.toHaveProperty('aliases');
  });

  it('takes the list an environment patch gives (lists of strings are replaced, not merged)', () => {
    const [premium] = routesOf([route('premium', 'aliases: [claude-sonnet-4-5]'), prod], true);
    expect(premium!.aliases).toEqual({ exact: [], patterns: ['claude-opus-*', 'claude-sonnet-*'] });
  });
});
