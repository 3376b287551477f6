import { describe, expect, it } from 'vitest';
import { applyEnvironment, environmentsOf } from '../../compiler/environments/apply.ts';
import { loadSources } from '../../compiler/load/load-project.ts';
import type { AnyResource } from '../../kernel/resource.ts';
import { applyPins } from './overlay-edit.ts';
import { collectPins } from './pins.ts';

const base = [
  {
    path: 'routes/chat.yaml',
    text: `apiVersion: modelgate.dev/v1
kind: Route
metadata: { name: chat }
spec:
  targets:
    - { provider: openai, model: mini, weight: 80 }
    - { provider: anthropic, model: haiku, weight: 20 }
`,
  },
  {
    path: 'prompts/reply.yaml',
    text: `apiVersion: modelgate.dev/v1
kind: Prompt
metadata: { name: reply }
spec:
  route: chat
  versions:
    v1: { messages: [{ role: user, content: "Hi {{name}}" }] }
    v2: { messages: [{ role: user, content: "Hello {{name}}" }] }
  serve:
    - version: v1
`,
  },
  {
    path: 'providers/openai.yaml',
    text: `apiVersion: modelgate.dev/v1
kind: Provider
metadata: { name: openai }
spec:
  type: openai
  baseUrl: https://api.openai.com/v1
  models:
    - name: mini
      version: "2024-07-18"
    - name: big
`,
  },
];

const staging = `apiVersion: modelgate.dev/v1
kind: Environment
metadata: { name: staging }
spec:
  patches:
    - target: { kind: Route, name: chat }
      patch:
        spec:
          targets:
            - { provider: openai, model: mini, weight: 50 }
            - { provider: anthropic, model: haiku, weight: 50 }
    - target: { kind: Prompt, name: reply }
      patch:
        spec:
          serve:
            - version: v1
              weight: 0
            - version: v2
              weight: 100
          versions:
            v3: { messages: [{ role: user, content: "Hey {{name}}" }] }
    - target: { kind: Provider, name: openai }
      patch:
        spec:
          models:
            - name: mini
              version: "2025-01-31"
`;

const prod = `# Production overlay: edited by people and by modelgate promote.
apiVersion: modelgate.dev/v1
kind: Environment
metadata:
  name: prod
spec:
  tier: production

  patches:
    # Keep most traffic on OpenAI until the canary is done.
    - target: { kind: Route, name: chat }
      patch:
        spec:
          targets:
            - { provider: openai, model: mini, weight: 90 } # canary split
            - { provider: anthropic, model: haiku, weight: 10 }
`;

function effective(files: { path: string; text: string }[], name: string): AnyResource[] {
  const { resources, diagnostics } = loadSources(files);
  expect(diagnostics).toEqual([]);
  const env = environmentsOf(resources).find((e) => e.name === name)!;
  const applied = applyEnvironment(resources, env);
  expect(applied.diagnostics).toEqual([]);
  return applied.resources;
}

function project(prodText: string) {
  return [...base, { path: 'environments/staging.yaml', text: staging }, { path: 'environments/prod.yaml', text: prodText }];
}

describe('collectPins', () => {
  it('carries route weights, served prompt versions and model versions, nothing else', () => {
    const files = project(prod);
    const pins = collectPins(effective(files, 'staging'), effective(files, 'prod'));
    expect(pins).toEqual([
      {
        kind: 'Prompt',
        name: 'reply',
        items: [
          { list: 'serve', key: { version: 'v1' }, set: { weight: 0 } },
          { list: 'serve', key: { version: 'v2' }, set: { weight: 100 } },
        ],
        values: [],
      },
      { kind: 'Provider', name: 'openai', items: [{ list: 'models', key: { name: 'mini' }, set: { version: '2025-01-31' } }], values: [] },
      {
        kind: 'Route',
        name: 'chat',
        items: [
          { list: 'targets', key: { provider: 'openai', model: 'mini' }, set: { weight: 50 } },
          { list: 'targets', key: { provider: 'anthropic', model: 'haiku' }, set: { weight: 50 } },
        ],
        values: [],
      },
    ]);
  });

  it('finds nothing to carry between equal environments', () => {
    const files = project(prod);
    expect(collectPins(effective(files, 'prod'), effective(files, 'prod'))).toEqual([]);
  });
});

describe('applyPins', () => {
  const files = project(prod);
  const pins = collectPins(effective(files, 'staging'), effective(files, 'prod'));
  const edited = applyPins(prod, 'prod', pins);

  it('makes the destination pin what the source pins', () => {
    const after = effective(project(edited), 'prod');
    expect(collectPins(effective(files, 'staging'), after)).toEqual([]);
  });

  it('edits values in place, keeping comments, blank lines and flow style, and appends new patches', () => {
    // The file as it was, but for the two weights, with the new patches appended in the file's style.
    const expected =
      prod.replace('weight: 90 }', 'weight: 50 }').replace('weight: 10 }', 'weight: 50 }') +
      `    - target: { kind: Prompt, name: reply }
      patch:
        spec:
          serve:
            - version: v1
              weight: 0
            - version: v2
              weight: 100
    - target: { kind: Provider, name: openai }
      patch:
        spec:
          models:
            - name: mini
              version: "2025-01-31"
`;
    expect(edited).toBe(expected);
  });

  it('copies a served version the destination lacks, and creates spec.patches when there is none', () => {
    const stagingServesV3 = staging.replace('version: v2\n              weight: 100', 'version: v3\n              weight: 100');
    const bare = 'apiVersion: modelgate.dev/v1\nkind: Environment\nmetadata: { name: prod }\nspec: { tier: production }\n';
    const files3 = [...base, { path: 'environments/staging.yaml', text: stagingServesV3 }, { path: 'environments/prod.yaml', text: bare }];
    const pins3 = collectPins(effective(files3, 'staging'), effective(files3, 'prod'));
    expect(pins3.find((p) => p.kind === 'Prompt')?.values).toEqual([
      { path: ['versions', 'v3'], value: { messages: [{ role: 'user', content: 'Hey {{name}}' }] } },
    ]);
    const out = applyPins(bare, 'prod', pins3);
    const after = effective(
      [...base, { path: 'environments/staging.yaml', text: stagingServesV3 }, { path: 'environments/prod.yaml', text: out }],
      'prod',
    );
    expect(collectPins(effective(files3, 'staging'), after)).toEqual([]);
  });

  it('refuses a file without the environment', () => {
    expect(() => applyPins(prod, 'staging', pins)).toThrow(/no Environment named staging/);
  });
});
