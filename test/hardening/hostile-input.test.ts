// Hostile input (issue #7, item 2): files written to hurt the compiler get a clear finding (rule, file:line:col)
// within bounded time and memory, and leave the process as it was (no prototype pollution, nothing read
// outside the config root, no template or regex run in an unsafe way).
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPORT_FORMATS } from '../../reports/formats/index.ts';
import { runMain } from '../support/run-main.ts';
import { hasErrors, type Diagnostic } from '../../kernel/diagnostics.ts';
import { discoverFiles } from '../../compiler/load/discover.ts';
import { DEFAULT_MAX_FILE_BYTES, type SourceFile } from '../../compiler/load/load-project.ts';
import { compileProject, compileSources } from '../../pipeline/compile.ts';
import { formatReport } from '../../reports/formats/index.ts';
import { compilePrompts } from '../../gateway/prompts.ts';
import { testPrompt } from '../support/ir-fixture.ts';
import { ACME_FILES, REPO_ROOT, tempDir, writeRepo } from './acme.ts';
import { diagnosticProblems } from './diagnostic-invariants.ts';

/** Loose bounds: a hostile file may be slow to refuse, never unbounded. Timing is not asserted tightly. */
const MAX_MS = 15_000;
const MAX_RSS_GROWTH = 512 * 1024 * 1024;

function bounded<T>(run: () => T): T {
  const rss = process.memoryUsage().rss;
  const started = performance.now();
  const value = run();
  expect(performance.now() - started).toBeLessThan(MAX_MS);
  expect(process.memoryUsage().rss - rss).toBeLessThan(MAX_RSS_GROWTH);
  return value;
}

/** Compiles the sources, checks every finding is located inside them, and returns the findings. */
function findings(files: SourceFile[], env?: string): Diagnostic[] {
  const { diagnostics } = bounded(() => compileSources(files, { env }));
  expect(diagnosticProblems(files, diagnostics)).toEqual([]);
  return diagnostics;
}

/** An error that counts: not waived by a PolicyException (acme waives one in prod). */
const blocking = (d: Diagnostic) => hasErrors([d]);
const located = (d: Diagnostic) => `${d.ruleId} ${d.file}:${d.line}:${d.column}`;
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

function resource(kind: string, name: string, spec: string): string {
  return `apiVersion: modelgate.dev/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  description: A hostile ${kind} for the hardening tests.\n  labels: { team: qa, owner: qa }\nspec:\n${spec}`;
}

const temp: string[] = [];
afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function scratch(label: string): string {
  const dir = tempDir(label);
  temp.push(dir);
  return dir;
}

describe('hostile input', () => {
  describe('YAML that explodes when expanded', () => {
    it('refuses billion laughs', () => {
      const text = readFileSync(join(REPO_ROOT, 'fixtures/invalid/alias-bomb/bomb.yaml'), 'utf8');
      expect(findings([{ path: 'bomb.yaml', text }]).map(located)).toEqual(['yaml-alias-bomb bomb.yaml:2:1']);
    });

    it('refuses one big anchor aliased many times (small on disk, huge in memory)', () => {
      const items = Array.from({ length: 20_000 }, (_, i) => `k${i}`).join(', ');
      const aliases = Array.from({ length: 99 }, () => '      - { path: spec.type, operator: In, value: *big }\n').join('');
      const text = resource(
        'Policy',
        'quadratic',
        `  match: { kinds: [Route] }\n  message: m\n  deny:\n    any:\n      - { path: spec.type, operator: In, value: &big [${items}] }\n${aliases}`,
      );
      expect(findings([{ path: 'quadratic.yaml', text }]).map(located)).toEqual(['yaml-alias-bomb quadratic.yaml:1:1']);
    });

    it('refuses an alias inside the node it refers to (a value that contains itself)', () => {
      const text = resource('Consumer', 'loop', '  apiKeys: &keys [*keys]\n');
      expect(findings([{ path: 'loop.yaml', text }]).map(located)).toEqual([`yaml-recursive-alias loop.yaml:${lineOf(text, '*keys')}:19`]);
    });
  });

  describe('files too big or too deep', () => {
    it('refuses a 50 MB file by its size, without reading it', () => {
      const dir = scratch('huge');
      writeRepo(dir, ACME_FILES);
      writeFileSync(join(dir, 'huge.yaml'), `description: ${'x'.repeat(50 * 1024 * 1024)}\n`);
      const rss = process.memoryUsage().rss;
      const result = bounded(() => compileProject(dir, { env: 'prod' }));
      expect(process.memoryUsage().rss - rss).toBeLessThan(40 * 1024 * 1024); // reading it would take 100 MB
      expect(result.diagnostics.filter(blocking).map(located)).toEqual(['file-too-large huge.yaml:1:1']);
      expect(result.files.map((f) => f.path)).not.toContain('huge.yaml');
    });

    it('lets --max-file-bytes lower the limit, refusing each larger file at its first line', async () => {
      const { code, stdout } = await runMain('validate', join(REPO_ROOT, 'fixtures/acme'), '--max-file-bytes', '1200', '--format', 'json');
      const refused = (JSON.parse(stdout) as { diagnostics: Diagnostic[] }).diagnostics.filter((d) => d.ruleId === 'file-too-large');
      expect(code).toBe(1);
      expect(refused.length).toBeGreaterThan(5);
      for (const d of refused) expect([d.line, d.column]).toEqual([1, 1]);
      expect(DEFAULT_MAX_FILE_BYTES).toBe(5 * 1024 * 1024);
    });

    const DEPTH = 10_000;
    const nested: [string, string][] = [
      ['a flow sequence 10,000 levels deep', `  apiKeys: ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n`],
      ['a flow mapping 10,000 levels deep', `  jwt: ${'{a: '.repeat(DEPTH)}1${'}'.repeat(DEPTH)}\n`],
      ['block sequences 10,000 levels deep', `  apiKeys:\n    ${'- '.repeat(DEPTH)}x\n`],
      [
        'block mappings 1,000 levels deep (10,000 would be 100 MB of indentation)',
        `  jwt:\n${Array.from({ length: 1_000 }, (_, i) => `${'  '.repeat(i + 2)}a:\n`).join('')}${'  '.repeat(1_002)}b: 1\n`,
      ],
      ['flow mappings 65 levels deep, just past the limit', `  jwt: ${'{a: '.repeat(65)}1${'}'.repeat(65)}\n`],
    ];
    it.each(nested)('refuses %s', (_label, spec) => {
      const found = findings([{ path: 'deep.yaml', text: resource('Consumer', 'deep', spec) }]);
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((d) => d.ruleId === 'yaml-too-deep' && d.line >= 8 && d.hint)).toBe(true);
    });
  });

  describe('prototype pollution', () => {
    const NAMES = ['__proto__', 'constructor', 'prototype'];
    const payload = (key: string) => `${key}: { polluted: yes, toString: evil }`;
    // The key at every level, in block, flow and quoted style, and in an environment patch.
    const polluting = NAMES.map((key) =>
      [
        'apiVersion: modelgate.dev/v1',
        'kind: Provider',
        payload(key),
        'metadata:',
        '  name: polluter',
        `  ${payload(key)}`,
        `  labels: { team: qa, "${key}": { polluted: yes } }`,
        'spec:',
        `  ${payload(key)}`,
        '  models:',
        `    - name: m`,
        `      ${payload(key)}`,
        `  headers: { ${key}: x }`,
        '---',
        resource(
          'Environment',
          'polluting-env',
          `  tier: production\n  patches:\n    - target: { kind: Provider, name: polluter }\n      patch:\n        spec:\n          ${payload(key)}\n`,
        ),
      ].join('\n'),
    );

    it.each(NAMES)('refuses `%s` keys at every level, each at its position', (key) => {
      const text = polluting[NAMES.indexOf(key)]!;
      const expected = text.split('\n').flatMap((line, i) => {
        const column = line.search(new RegExp(`"?${key}"?:`));
        return column < 0 ? [] : [`forbidden-key polluting.yaml:${i + 1}:${column + 1}`];
      });
      const found = findings([{ path: 'polluting.yaml', text }]).filter((d) => d.ruleId === 'forbidden-key');
      expect(found.map(located).sort()).toEqual(expected.sort());
    });

    it('leaves Object.prototype untouched after compiling, reporting and checking policies on them', () => {
      const before = Object.getOwnPropertyNames(Object.prototype).sort();
      const aliasedKey = resource('Consumer', 'aliased-key', '  apiKeys: []\n  note: &k __proto__\n  jwt: { *k : { polluted: yes } }\n');
      const files = [
        ...ACME_FILES,
        ...polluting.map((text, i) => ({ path: `polluting-${i}.yaml`, text })),
        { path: 'aliased-key.yaml', text: aliasedKey },
      ];
      const found = findings(files, 'all');
      for (const format of REPORT_FORMATS) formatReport(format, found);
      expect(found.map(located)).toContain(`yaml-complex-key aliased-key.yaml:${lineOf(aliasedKey, '*k')}:10`);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
      expect(Object.prototype.toString.call([])).toBe('[object Array]');
    });
  });

  describe('paths that leave the config root', () => {
    function layout(): { root: string; outside: string } {
      const base = scratch('escape');
      const outside = join(base, 'outside');
      const root = join(base, 'repo');
      mkdirSync(join(outside, 'dir'), { recursive: true });
      writeFileSync(join(outside, 'secret.yaml'), resource('Provider', 'outside-file', '  type: openai\n'));
      writeFileSync(join(outside, 'dir', 'more.yaml'), resource('Provider', 'outside-dir', '  type: openai\n'));
      writeFileSync(join(outside, 'ignore'), 'providers/\n');
      writeRepo(root, ACME_FILES);
      return { root, outside };
    }

    it('reports a symlinked file and a symlinked folder pointing outside, and reads neither', () => {
      const { root, outside } = layout();
      symlinkSync(join(outside, 'secret.yaml'), join(root, 'providers', 'linked.yaml'));
      symlinkSync(join(outside, 'dir'), join(root, 'linked-dir'));
      symlinkSync(root, join(root, 'routes', 'loop')); // a loop inside the root: skipped, not walked forever
      const result = bounded(() => compileProject(root, { env: 'prod' }));
      expect(result.diagnostics.filter(blocking).map(located).sort()).toEqual([
        'path-escapes-root linked-dir:1:1',
        'path-escapes-root providers/linked.yaml:1:1',
      ]);
      const names = result.resources.map((r) => r.name);
      expect(names).not.toContain('outside-file');
      expect(names).not.toContain('outside-dir');
      expect(result.files).toHaveLength(ACME_FILES.length);
    });

    it('reads no .modelgateignore that links outside the root', () => {
      const { root, outside } = layout();
      symlinkSync(join(outside, 'ignore'), join(root, '.modelgateignore'));
      const { files, diagnostics } = discoverFiles(root);
      expect(diagnostics.map(located)).toEqual(['path-escapes-root .modelgateignore:1:1']);
      expect(files.map((f) => f.path)).toEqual(ACME_FILES.map((f) => f.path)); // `providers/` was not applied
    });

    it('reads no modelgate.config.yaml that links outside the root', () => {
      const { root, outside } = layout();
      writeFileSync(join(outside, 'rules.yaml'), 'rules:\n  no-literal-credentials: off\n');
      symlinkSync(join(outside, 'rules.yaml'), join(root, 'modelgate.config.yaml'));
      const result = bounded(() => compileProject(root, { env: 'prod' }));
      expect(result.diagnostics.filter(blocking).map(located)).toEqual(['path-escapes-root modelgate.config.yaml:1:1']);
    });

    it('matches .modelgateignore patterns with `../` only inside the root, and reads nothing outside', () => {
      const { root } = layout();
      writeFileSync(join(root, '.modelgateignore'), '../outside/secret.yaml\n../**\n/../*\n..\n../../etc/passwd\nroutes/../providers/\n');
      const { files, diagnostics } = bounded(() => discoverFiles(root));
      expect(diagnostics).toEqual([]);
      expect(files.every((f) => !f.path.startsWith('..'))).toBe(true);
      expect(files.map((f) => f.path)).toEqual(
        expect.arrayContaining(ACME_FILES.map((f) => f.path).filter((p) => !p.startsWith('providers/'))),
      );
    });
  });

  describe('templates that reach for prototypes', () => {
    const TRICKS = [
      '{{constructor.constructor}}',
      '{{__proto__}}',
      '{{lookup this "constructor"}}',
      '{{#with (lookup this "__proto__")}}{{polluted}}{{/with}}',
      '{{#each this}}{{lookup this "prototype"}}{{/each}}',
    ];

    it.each(TRICKS)('refuses %s in a prompt, at the message it is in', (template) => {
      const text = resource(
        'Prompt',
        'tricky',
        `  route: chat-default\n  variables: { type: object, properties: { message: { type: string } } }\n  versions:\n    v1:\n      messages:\n        - role: user\n          content: ${JSON.stringify(`{{message}} ${template}`)}\n  serve:\n    - version: v1\n`,
      );
      const found = findings([...ACME_FILES, { path: 'tricky.yaml', text }], 'prod').filter((d) => d.ruleId === 'prompt-template-compiles');
      expect(found.map(located)).toEqual([`prompt-template-compiles tricky.yaml:${lineOf(text, 'content:')}:20`]);
      expect(found[0]!.message).toMatch(/templates may not reach object prototypes/);
    });

    it.each(TRICKS)('refuses %s in a Policy message, which the compiler renders', (template) => {
      const text = resource(
        'Policy',
        'tricky-message',
        `  match: { kinds: [Route] }\n  message: ${JSON.stringify(`route ${template}`)}\n  deny:\n    any:\n      - { path: spec.targets, operator: Exists }\n`,
      );
      const found = findings([...ACME_FILES, { path: 'tricky.yaml', text }], 'prod');
      expect(found.filter((d) => d.file === 'tricky.yaml').map(located)).toEqual([
        `policy-invalid tricky.yaml:${lineOf(text, 'message:')}:12`,
      ]);
      expect(found.every((d) => d.message.trim() !== '')).toBe(true);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('renders no prototype in the gateway either (prototype access stays off at runtime)', () => {
      const prompts = compilePrompts(
        TRICKS.map((template, i) =>
          testPrompt(`p${i}`, 'chat-default', { versions: { v1: { messages: [{ role: 'user', content: `x${template}` }] } } }),
        ),
      );
      for (const prompt of prompts.values()) {
        let content = '';
        try {
          content = prompt.render({ polluted: 'own value' }).messages[0]!.content;
        } catch (e) {
          content = (e as Error).message; // strict mode: a missing variable is a 400, also fine
        }
        expect(content).not.toMatch(/function|native code|\[object/);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('regexes that backtrack catastrophically', () => {
    // Resources full of strings that make `(a+)+$` take minutes, were it ever run on them.
    const victim = resource(
      'Consumer',
      'victim',
      `  apiKeys: []\n  jwt: { issuer: "https://${'a'.repeat(40)}!", claims: { sub: "${'a'.repeat(40)}!" } }\n`,
    );

    it('refuses a redaction pattern like (a+)+$ at its regex', () => {
      const text = resource(
        'AccessPolicy',
        'redos',
        `  subjects: { consumers: [victim] }\n  routes: [chat-default]\n  redaction:\n    patterns:\n      - name: evil\n        regex: "(a+)+$"\n`,
      );
      const found = findings([...ACME_FILES, { path: 'victim.yaml', text: victim }, { path: 'redos.yaml', text }], 'prod');
      expect(found.filter((d) => d.ruleId === 'redaction-regex-safe').map(located)).toEqual([
        `redaction-regex-safe redos.yaml:${lineOf(text, '(a+)+$')}:16`,
      ]);
    });

    it.each([
      [
        'a `Matches` condition',
        '  deny:\n    any:\n      - { path: spec.jwt.claims.sub, operator: Matches, value: "(a+)+$" }\n',
        'Matches',
      ],
      [
        'a pattern in an assertion schema',
        '  assert:\n    schema: { properties: { spec: { properties: { jwt: { properties: { issuer: { pattern: "(a+)+$" } } } } } } }\n',
        'schema:',
      ],
    ])('refuses %s like (a+)+$ before running it', (_label, body, needle) => {
      const text = resource('Policy', 'redos', `  match: { kinds: [Consumer] }\n  message: m\n${body}`);
      const found = findings([...ACME_FILES, { path: 'victim.yaml', text: victim }, { path: 'redos.yaml', text }], 'prod');
      const refused = found.filter((d) => d.file === 'redos.yaml' && d.ruleId === 'policy-invalid');
      expect(refused).toHaveLength(1);
      expect(refused[0]!.line).toBe(lineOf(text, needle));
      expect(refused[0]!.message).toMatch(/backtrack|refused|split the input/);
    });
  });

  describe('odd but legal text', () => {
    it('keeps columns exact on a 2 MB line, and reports it without echoing the line', () => {
      const text = resource('Consumer', 'long', `  apiKeys: []\n  jwt: { issuer: "${'y'.repeat(2_000_000)}", claimz: {} }\n`);
      const found = findings([{ path: 'long.yaml', text }]);
      const typo = found.find((d) => d.ruleId === 'schema')!;
      expect([typo.line, typo.column]).toEqual([
        lineOf(text, 'claimz'),
        text.split('\n')[lineOf(text, 'claimz') - 1]!.indexOf('claimz') + 1,
      ]);
      expect(formatReport('text', found).length).toBeLessThan(10_000);
    });

    // Not under `bounded`: 200,000 findings take seconds on a loaded machine, and the crash is what is tested.
    it('reports a file of 200,000 duplicate keys (1 MB) without overflowing the stack', () => {
      const { diagnostics } = compileSources([{ path: 'keys.yaml', text: 'a: b\n'.repeat(200_000) }]);
      expect(diagnostics.filter((d) => d.ruleId === 'duplicate-key')).toHaveLength(199_999);
    });

    // yaml's own duplicate-key check and a linear search per finding made this quadratic: 40,000 keys took 20 s.
    it('reports 50,000 unknown keys in one mapping (0.6 MB) in bounded time, each at its key', () => {
      const keys = 50_000;
      const text = resource('Route', 'wide', Array.from({ length: keys }, (_, i) => `  k${i}: 1\n`).join(''));
      const unknown = findings([{ path: 'wide.yaml', text }]).filter((d) => /`spec\.k\d+` is not a known/.test(d.message));
      expect(unknown).toHaveLength(keys);
      const first = lineOf(text, '  k0:');
      expect(unknown.map((d) => `${d.line}:${d.column}`)).toEqual(Array.from({ length: keys }, (_, i) => `${first + i}:3`));
    });

    // Every failure class of fixtures/invalid, rewritten with CRLF line ends or a byte-order mark, is reported
    // at the same rule, line and column as the original.
    const invalid = readdirSync(join(REPO_ROOT, 'fixtures/invalid'), { withFileTypes: true }).filter((e) => e.isDirectory());
    const sourcesOf = (dir: string): SourceFile[] =>
      discoverFiles(dir).files.map((f) => ({ path: f.path, text: readFileSync(f.absolute, 'utf8') }));
    const positions = (files: SourceFile[]) => findings(files).map(located);

    it.each([
      ['CRLF line ends', (t: string) => t.replace(/\n/g, '\r\n')],
      ['a byte-order mark', (t: string) => `\uFEFF${t}`],
    ])('reports every fixtures/invalid case the same with %s', (_label, rewrite) => {
      for (const dir of invalid) {
        const files = sourcesOf(join(dir.parentPath, dir.name));
        expect(positions(files.map((f) => ({ path: f.path, text: rewrite(f.text) }))), dir.name).toEqual(positions(files));
      }
      const acme = ACME_FILES.map((f) => ({ path: f.path, text: rewrite(f.text) }));
      expect(findings(acme, 'prod').filter(blocking)).toEqual([]);
    });

    it('reports a broken environment file given to --env as what it is, not as a usage error', async () => {
      const dir = scratch('broken-env');
      writeRepo(
        dir,
        ACME_FILES.map((f) =>
          f.path === 'environments/prod.yaml' ? { ...f, text: f.text.replace('tier: production', 'tier: [production') } : f,
        ),
      );
      const { code, stdout, stderr } = await runMain('validate', dir, '--env', 'prod', '--format', 'json');
      expect(stderr).toBe('');
      expect(code).toBe(1);
      const errors = (JSON.parse(stdout) as { diagnostics: Diagnostic[] }).diagnostics.filter(blocking);
      expect(errors.map((d) => `${d.ruleId} ${d.file}`)).toContain('yaml-syntax environments/prod.yaml');
    });
  });
});
