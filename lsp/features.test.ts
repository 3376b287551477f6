// The features on fixtures/acme, without the protocol: what completion offers at a place, what hover says,
// which quick fix a finding gets, where a model's references are, which links a `$schema` comment gives.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Position } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import { completions } from './completion.ts';
import { suggestionFix, toEditorDiagnostic } from './diagnostics.ts';
import { schemaLinks } from './document-links.ts';
import { hover } from './hover.ts';
import { lineContext } from './line-context.ts';
import { Navigation } from './navigation.ts';
import { Workspace } from './workspace.ts';

const ACME = fileURLToPath(new URL('../fixtures/acme/', import.meta.url));
const workspace = new Workspace(ACME);
const snapshot = workspace.compile();
const read = (path: string) => readFileSync(`${ACME}${path}`, 'utf8');

/** The text with `|` removed, and the position where it was. */
function cursor(textWithBar: string): { text: string; position: Position } {
  const at = textWithBar.indexOf('|');
  const before = textWithBar.slice(0, at).split('\n');
  return { text: textWithBar.replace('|', ''), position: { line: before.length - 1, character: before.at(-1)!.length } };
}

const labels = (textWithBar: string) => {
  const { text, position } = cursor(textWithBar);
  return completions(lineContext(text, position), snapshot.result.resources).map((i) => i.label);
};

const ROUTE_HEAD = 'apiVersion: modelgate.dev/v1\nkind: Route\nmetadata:\n  name: r\nspec:\n';

describe('completion', () => {
  it('offers only the models of the provider named beside the model', () => {
    expect(labels(`${ROUTE_HEAD}  targets:\n    - provider: anthropic\n      model: |\n`)).toEqual([
      'claude-3-5-haiku-20241022',
      'claude-sonnet-4-20250514',
    ]);
    expect(labels(`${ROUTE_HEAD}  fallbacks:\n    - model: gpt|\n      provider: vllm\n`)).toEqual(['meta-llama/Llama-3.1-8B-Instruct']);
  });

  it("offers the kind's fields where a key goes, with the schema's docs, and enum values where a value goes", () => {
    const { text, position } = cursor(`${ROUTE_HEAD}  retry:\n    attempts: 2\n    |\n`);
    const items = completions(lineContext(text, position), []);
    expect(items.map((i) => i.label)).toEqual(['attempts', 'backoff', 'on']);
    expect(items[0]!.documentation).toMatchObject({ value: 'Retries on the same target (0 = none).' });
    expect(labels(`${ROUTE_HEAD}  type: |\n`)).toEqual(['chat', 'embeddings']);
    expect(labels('apiVersion: modelgate.dev/v1\nkind: Pro|\n')).toContain('Provider');
  });

  it('offers consumer names in a list of consumers and fields in a list of mappings', () => {
    const policy =
      'apiVersion: modelgate.dev/v1\nkind: AccessPolicy\nmetadata:\n  name: p\nspec:\n  subjects:\n    consumers:\n      - |\n';
    expect(labels(policy)).toEqual(['payments-api', 'search-indexer', 'support-bot', 'support-desk']);
    expect(labels(`${ROUTE_HEAD}  targets:\n    - |\n`)).toEqual(expect.arrayContaining(['provider', 'model', 'weight']));
  });
});

describe('completion in an Environment', () => {
  const ENV = 'apiVersion: modelgate.dev/v1\nkind: Environment\nmetadata:\n  name: e\nspec:\n  patches:\n';
  const routes = ['chat-cheap', 'chat-default', 'chat-eu', 'chat-premium', 'embeddings', 'summarize'];

  it('offers the names of the kind a patch targets', () => {
    expect(labels(`${ENV}    - target:\n        kind: Route\n        name: |\n`)).toEqual(routes);
  });

  it("reads a patch with the patched kind's schema, its target written in flow style", () => {
    const patch = `${ENV}    - target: { kind: Route, name: chat-default }\n      patch:\n        spec:\n`;
    expect(labels(`${patch}          targets:\n            - provider: |\n`)).toEqual(['anthropic', 'azure-openai', 'openai', 'vllm']);
    expect(labels(`${patch}          retry:\n            |\n`)).toEqual(['attempts', 'backoff', 'on']);
  });
});

describe('hover', () => {
  /** The hover's text at a character of the first line of a fixture file holding `line`. */
  const hoverAt = (path: string, line: string, character: number): string => {
    const text = read(path);
    const at = text.split('\n').findIndex((l) => l.includes(line));
    const found = hover(snapshot, new Navigation(snapshot), path, text, { line: at, character });
    return (found!.contents as { value: string }).value;
  };

  it("shows the field's description and its value in each environment whose overlay changes it", () => {
    const value = hoverAt('routes/chat-default.yaml', 'weight: 80', 8);
    expect(value).toContain('**spec.targets[0].weight**');
    expect(value).toMatch(/\| prod \| `90` \|/);
    expect(value).toMatch(/\| dev \| `80` \|/);
  });

  it('names what a reference points at, where it is declared, and its description', () => {
    const value = hoverAt('routes/chat-cheap.yaml', '- provider: vllm', 18);
    expect(value).toContain('**spec.targets[0].provider**');
    expect(value).toMatch(/→ Provider\/vllm, declared at providers\/vllm\.yaml:5: \S/);
  });
});

describe('quick fixes', () => {
  const fixed = (path: string, from: string, to: string) => {
    const text = read(path).replace(from, to);
    expect(text).not.toBe(read(path));
    const ws = new Workspace(ACME);
    ws.setBuffer(path, text);
    // One finding here (a misspelt variable: one per environment, each with the same suggestion).
    const found = ws.compile().diagnostics.filter((d) => d.file === path && d.severity === 'error');
    expect(found.length).toBeGreaterThan(0);
    const uri = pathToFileURL(`${ACME}${path}`).href;
    const action = suggestionFix(toEditorDiagnostic(found[0]!), uri, text);
    return {
      ruleId: found[0]!.ruleId,
      result: TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 0, text), action!.edit!.changes![uri]!),
    };
  };

  it('repairs a misspelt enum value, property, kind and variable', () => {
    for (const [path, from, to, ruleId] of [
      ['routes/chat-cheap.yaml', 'type: chat', 'type: chta', 'schema'],
      ['routes/chat-cheap.yaml', '  fallbacks:', '  fallbakcs:', 'schema'],
      ['routes/chat-cheap.yaml', 'kind: Route', 'kind: Rotue', 'unknown-kind'],
      ['providers/vllm.yaml', 'vars.CLUSTER', 'vars.CLUSTRE', 'unknown-variable'],
      ['access/payments.yaml', 'routes: [chat-default,', 'routes: [chat-defualt,', 'reference'],
    ] as const) {
      const { ruleId: found, result } = fixed(path, from, to);
      expect(found, `${path}: ${to}`).toBe(ruleId);
      expect(result, `${path}: ${to}`).toBe(read(path));
    }
  });
});

describe('navigation', () => {
  it("renames a provider's model where that provider's model is named (routes, patches), not another provider's nor aliases", () => {
    const navigation = new Navigation(snapshot);
    const text = read('providers/openai.yaml');
    const line = text.split('\n').findIndex((l) => l.includes('- name: gpt-4o-mini'));
    const target = navigation.targetAt('providers/openai.yaml', { line, character: 14 });
    expect(target).toEqual({ kind: 'Model', provider: 'openai', name: 'gpt-4o-mini' });
    const edits = navigation.renameEdits(target!, 'gpt-4o-mini-2024');
    const where = [...edits].flatMap(([file, list]) => list.map((e) => `${file}:${e.range.start.line + 1}`)).sort();
    expect(where).toEqual([
      'environments/prod.yaml:37',
      'environments/staging.yaml:26',
      'providers/openai.yaml:25',
      'routes/chat-cheap.yaml:18',
      'routes/chat-default.yaml:19',
      'routes/chat-default.yaml:28',
    ]);
  });
});

describe('navigation to the parts of a resource', () => {
  const navigation = new Navigation(snapshot);
  const at = (path: string, line: string, needle: string) => {
    const lines = read(path).split('\n');
    const index = lines.findIndex((l) => l.includes(line));
    return navigation.targetAt(path, { line: index, character: lines[index]!.indexOf(needle) + 1 });
  };

  it("goes from a served version to its key under the prompt's versions, and back to every use, patches included", () => {
    const target = at('prompts/support-reply.yaml', '- version: v2', 'v2');
    expect(target).toEqual({ kind: 'PromptVersion', prompt: 'support-reply', name: 'v2' });
    expect(navigation.declaration(target!)).toMatchObject({
      file: 'prompts/support-reply.yaml',
      range: { start: { line: 36, character: 4 } },
    });
    const uses = navigation.references(target!).map((s) => `${s.file}:${s.range.start.line + 1}`);
    expect(uses.sort()).toEqual(['environments/prod.yaml:48', 'environments/staging.yaml:37', 'prompts/support-reply.yaml:50']);
  });

  it("goes from a consumer's JWT issuer to the gateway's", () => {
    const target = at('consumers/support.yaml', 'issuer: https://sso.acme.example', 'https');
    expect(target).toEqual({ kind: 'JwtIssuer', name: 'https://sso.acme.example' });
    expect(navigation.declaration(target!)).toMatchObject({ file: 'gateway.yaml', range: { start: { line: 19 } } });
  });

  it('completes the versions of the prompt being edited', () => {
    // The prompt's templates hold `|` block scalars: the cursor is placed by position, not by a marker.
    const text = read('prompts/support-reply.yaml').replace('    - version: v2', '    - version: ');
    const line = text.split('\n').indexOf('    - version: ');
    const items = completions(lineContext(text, { line, character: 15 }), snapshot.result.resources);
    expect(items.map((i) => i.label)).toEqual(['v1', 'v2']);
  });
});

describe('document links', () => {
  it("opens the installed package's schema for a $schema comment", () => {
    const uri = pathToFileURL(`${ACME}routes/chat-cheap.yaml`).href;
    const [link] = schemaLinks(uri, read('routes/chat-cheap.yaml'));
    expect(link!.target).toBe(new URL('../schema/route.schema.json', import.meta.url).href);
    expect(link!.range.start).toEqual({ line: 0, character: 32 });
  });
});
