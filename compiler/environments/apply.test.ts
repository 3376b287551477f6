import { describe, expect, it } from 'vitest';
import { loadSources } from '../load/load-project.ts';
import type { Resource } from '../../kernel/resource.ts';
import { applyEnvironment, environmentsOf } from './apply.ts';

const route = `apiVersion: modelgate.dev/v1
kind: Route
metadata: { name: chat }
spec:
  targets:
    - { provider: openai, model: gpt, weight: 80 }
    - { provider: anthropic, model: claude, weight: 20 }
  timeout: \${{ vars.TIMEOUT }}
  maxTokens: \${{ vars.MAX_TOKENS }}
`;
const env = `apiVersion: modelgate.dev/v1
kind: Environment
metadata: { name: prod }
spec:
  variables: { TIMEOUT: 30s, MAX_TOKENS: 512 }
  patches:
    - target: { kind: Route, name: chat }
      patch:
        spec:
          targets:
            - { provider: anthropic, model: claude, weight: 40 }
`;

function load(extraEnv = env) {
  const { resources, diagnostics } = loadSources([
    { path: 'routes/chat.yaml', text: route },
    { path: 'environments/prod.yaml', text: extraEnv },
  ]);
  expect(diagnostics).toEqual([]);
  return { resources, prod: environmentsOf(resources)[0] as Resource<'Environment'> };
}

describe('applyEnvironment', () => {
  it('substitutes variables keeping their type and merges patches by key', () => {
    const { resources, prod } = load();
    const out = applyEnvironment(resources, prod);
    expect(out.diagnostics).toEqual([]);
    const chat = out.resources.find((r) => r.id === 'Route/chat') as Resource<'Route'>;
    expect(chat.value.spec.timeout).toBe('30s');
    expect(chat.value.spec.maxTokens).toBe(512);
    expect(chat.value.spec.targets.map((t) => t.weight)).toEqual([80, 40]);
  });

  it('locates patched values in the environment file and the rest in the base file', () => {
    const { resources, prod } = load();
    const chat = applyEnvironment(resources, prod).resources.find((r) => r.id === 'Route/chat')!;
    expect(chat.locate(['spec', 'targets', 1, 'weight'])).toMatchObject({ file: 'environments/prod.yaml', line: 11 });
    expect(chat.locate(['spec', 'targets', 0, 'weight'])).toMatchObject({ file: 'routes/chat.yaml', line: 6 });
  });

  it('locates a property missing from an item the patch adds at that item, not in the base file', () => {
    const { resources, prod } = load(`${env}            - { provider: vllm, model: llama }\n`);
    const chat = applyEnvironment(resources, prod).resources.find((r) => r.id === 'Route/chat')!;
    // A schema or rule finding about the added target's missing `weight` names it by the merged path.
    expect(chat.locate(['spec', 'targets', 2, 'weight'])).toMatchObject({ file: 'environments/prod.yaml', line: 12 });
    // A property missing from the base's own item stays in the base file.
    expect(chat.locate(['spec', 'targets', 0, 'priority'])).toMatchObject({ file: 'routes/chat.yaml', line: 6 });
  });

  it('reports an unknown variable at the string that uses it, with a suggestion', () => {
    const { resources, prod } = load(env.replace('MAX_TOKENS: 512', 'MAX_TOKEN: 512'));
    const { diagnostics } = applyEnvironment(resources, prod);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ ruleId: 'unknown-variable', file: 'routes/chat.yaml', line: 9, column: 14 });
    expect(diagnostics[0]!.message).toContain('Did you mean "MAX_TOKEN"?');
  });

  it('reports a patch of a missing resource at the patch target', () => {
    const { resources, prod } = load(env.replace('name: chat }', 'name: chta }'));
    const { diagnostics } = applyEnvironment(resources, prod);
    expect(diagnostics.map((d) => [d.ruleId, d.file, d.line])).toEqual([['reference', 'environments/prod.yaml', 7]]);
    expect(diagnostics[0]!.message).toContain('Did you mean "chat"?');
  });

  it('leaves ${{ env.X }} references for the runtime', () => {
    const { resources, prod } = load();
    const withEnvRef = resources.map((r) =>
      r.kind === 'Route' ? { ...r, value: { ...r.value, spec: { ...r.value.spec, timeout: '${{ env.T }}' } } } : r,
    );
    const chat = applyEnvironment(withEnvRef as never, prod).resources.find((r) => r.id === 'Route/chat') as Resource<'Route'>;
    expect(chat.value.spec.timeout).toBe('${{ env.T }}');
  });
});
