// Secret hygiene (issue #7, item 3): a credential pasted into any string field of a config is reported by
// `no-literal-credentials` at its line, and no fragment of it reaches a report (any format), the terminal, the
// plan (the MR comment body) or a build artifact. `npm run test:hardening` plants one secret per kind and field
// name, the secrets taking turns; `npm run fuzz` plants every secret in every field.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPORT_FORMATS } from '../../reports/formats/index.ts';
import { runMain } from '../support/run-main.ts';
import type { SourceFile } from '../../compiler/load/load-project.ts';
import { compileSources } from '../../pipeline/compile.ts';
import { formatReport } from '../../reports/formats/index.ts';
import { ACME_FILES, CLI, tempDir, withFile, writeRepo } from './acme.ts';
import { AWS_SECRET_ACCESS_KEY, FAKE_SECRETS, leakedFragment, type FakeSecret } from './fake-secrets.ts';
import { LONG_FUZZ, PROPERTY_TIMEOUT_MS } from './fuzz-runs.ts';
import { plant, stringFields, type StringField } from './string-fields.ts';

const RULE = 'no-literal-credentials';
/** Fields whose name makes any random-looking value a credential: the AWS secret key is only known there. */
const CREDENTIAL_FIELDS = new Set(['secret', 'credential']);
/**
 * A document whose apiVersion or kind is not modelgate's is refused by the loader before any rule sees it:
 * the paste is then reported as that error, at the same line (exit 1), not as a credential.
 */
const ENVELOPE_FIELDS = new Map([
  ['apiVersion', 'unknown-api-version'],
  ['kind', 'unknown-kind'],
]);

/** `files` with the text of the one at `path` changed by `change`. */
function edit(files: readonly SourceFile[], path: string, change: (text: string) => string): SourceFile[] {
  return withFile(files, path, change(files.find((f) => f.path === path)!.text));
}

const OTLP_AND_MCP = [
  '  telemetry:',
  '    otlp:',
  '      endpoint: https://otel.acme.example/v1/traces',
  '      headers:',
  '        x-honeycomb-team: env:OTLP_API_KEY',
  '  mcp:',
  '    sessionKey: env:MCP_SESSION_KEY',
  '  metrics:',
].join('\n');

const remoteGuardrail = (check: 'moderation' | 'webhook'): SourceFile => ({
  path: `guardrails/${check}.yaml`,
  text: [
    'apiVersion: modelgate.dev/v1',
    'kind: Guardrail',
    'metadata:',
    `  name: remote-${check}`,
    '  description: A remote checker, called with its own credential.',
    'spec:',
    '  check:',
    `    ${check}:`,
    `      url: https://${check}.acme.example/check`,
    `      credential: env:${check.toUpperCase()}_API_KEY`,
    '',
  ].join('\n'),
});

/**
 * The acme fixture plus a credential reference in every place that takes one and acme leaves out: the OTLP
 * exporter's headers, the MCP session key, and the credentials of a moderation and a webhook guardrail (attached,
 * so that the gateway's config holds them).
 */
const FILES: readonly SourceFile[] = [
  ...edit(
    edit(ACME_FILES, 'gateway.yaml', (text) => text.replace(/^ {2}metrics:$/m, OTLP_AND_MCP)),
    'access/support.yaml',
    (text) => text.replace('[customer-pii, no-credentials]', '[customer-pii, no-credentials, remote-moderation, remote-webhook]'),
  ),
  remoteGuardrail('moderation'),
  remoteGuardrail('webhook'),
];

interface Case {
  field: StringField;
  secret: FakeSecret;
}

function plantingCases(): Case[] {
  const fields = FILES.flatMap(stringFields);
  const secretsFor = (f: StringField): readonly FakeSecret[] =>
    CREDENTIAL_FIELDS.has(f.field) ? (LONG_FUZZ ? [...FAKE_SECRETS, AWS_SECRET_ACCESS_KEY] : [AWS_SECRET_ACCESS_KEY]) : FAKE_SECRETS;
  if (LONG_FUZZ) return fields.flatMap((field) => secretsFor(field).map((secret) => ({ field, secret })));
  const seen = new Set<string>();
  const cases: Case[] = [];
  for (const field of fields) {
    const key = `${field.kind}.${field.field}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const choices = secretsFor(field);
    cases.push({ field, secret: choices[cases.length % choices.length]! });
  }
  return cases;
}

function plantedFiles({ field, secret }: Case) {
  const original = FILES.find((f) => f.path === field.file)!;
  return withFile(FILES, field.file, plant(original.text, field, secret.value));
}

function expectNoLeak(output: string, secret: FakeSecret, where: string): void {
  expect(leakedFragment(output, secret), `${secret.name} leaked into ${where}`).toBeUndefined();
}

const temp: string[] = [];
afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function plantedRepo(c: Case): string {
  const dir = tempDir('secret');
  temp.push(dir);
  return writeRepo(dir, plantedFiles(c));
}

/** FILES written once, the base of the plans and the repo built with credentials in its environment. */
let acme: string | undefined;
function acmeRepo(): string {
  if (!acme) temp.push((acme = writeRepo(tempDir('secret-acme'), FILES)));
  return acme;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('secret hygiene', () => {
  const cases = plantingCases();

  it('plants every secret format and covers every kind and field name of the acme fixture', () => {
    const groups = new Set(FILES.flatMap(stringFields).map((f) => `${f.kind}.${f.field}`));
    expect(new Set(cases.map((c) => `${c.field.kind}.${c.field.field}`))).toEqual(groups);
    expect(new Set(cases.map((c) => c.secret))).toEqual(new Set([...FAKE_SECRETS, AWS_SECRET_ACCESS_KEY]));
  });

  it(
    'reports each planted credential at its line, and no report format carries any fragment of it',
    () => {
      for (const c of cases) {
        const files = plantedFiles(c);
        // An Environment's patches only take effect in that environment; other resources are checked in prod.
        const result = compileSources(files, { env: c.field.kind === 'Environment' ? 'all' : 'prod' });
        const where = `${c.field.file}:${c.field.line} (${c.field.kind} ${c.field.field})`;
        const atPaste = result.diagnostics.filter((d) => d.file === c.field.file && d.line === c.field.line && d.severity === 'error');
        const expected = (c.field.keys.length === 1 && ENVELOPE_FIELDS.get(c.field.field)) || RULE;
        expect(
          atPaste.map((d) => d.ruleId),
          `${c.secret.name} at ${where}`,
        ).toContain(expected);
        for (const format of REPORT_FORMATS) {
          expectNoLeak(
            formatReport(format, result.diagnostics, { filesChecked: files.map((f) => f.path) }),
            c.secret,
            `${format} report, ${where}`,
          );
        }
      }
    },
    PROPERTY_TIMEOUT_MS,
  );

  describe('through the CLI', () => {
    // A prompt message is where a key is most likely pasted by mistake.
    const promptField = FILES.flatMap(stringFields).find((f) => f.kind === 'Prompt' && f.field === 'content')!;
    const everySecret = [...FAKE_SECRETS, AWS_SECRET_ACCESS_KEY].map((secret) => ({
      secret,
      field: secret === AWS_SECRET_ACCESS_KEY ? FILES.flatMap(stringFields).find((f) => f.field === 'credential')! : promptField,
    }));
    // And the places that take a reference beside providers': the OTLP headers, the MCP session key, a guardrail's.
    const field = (kind: string, name: string) => FILES.flatMap(stringFields).find((f) => f.kind === kind && f.field === name)!;
    const newPlaces = [
      { secret: FAKE_SECRETS[0]!, field: field('Gateway', 'x-honeycomb-team') },
      { secret: FAKE_SECRETS[3]!, field: field('Gateway', 'sessionKey') },
      { secret: AWS_SECRET_ACCESS_KEY, field: field('Guardrail', 'credential') },
    ];

    it(
      'validate (every format), build, plan (the MR comment body) and graph refuse and print no fragment of it',
      async () => {
        for (const c of [...everySecret, ...newPlaces]) {
          const repo = plantedRepo(c);
          const formats = c.secret.name === 'PEM private key' ? REPORT_FORMATS : (['json'] as const);
          for (const format of formats) {
            const validate = await runMain('validate', repo, '--env', 'prod', '--format', format);
            expect(validate.code).toBe(1);
            expectNoLeak(validate.stdout + validate.stderr, c.secret, `validate --format ${format}`);
            if (format === 'json') expect(validate.stdout).toContain(`"ruleId": "${RULE}"`);
          }
          const out = join(repo, 'out');
          const build = await runMain('build', repo, '--env', 'prod', '--out', out);
          expect(build.code).toBe(1);
          expectNoLeak(build.stdout + build.stderr, c.secret, 'build output');
          const plan = await runMain('plan', repo, '--env', 'prod', '--base', acmeRepo(), '--format', 'markdown');
          expectNoLeak(plan.stdout + plan.stderr, c.secret, 'plan markdown');
          const graph = await runMain('graph', repo, '--env', 'prod', '--format', 'json');
          expect(graph.code).toBe(1);
          expectNoLeak(graph.stdout + graph.stderr, c.secret, 'graph');
        }
      },
      PROPERTY_TIMEOUT_MS,
    );

    it('a spawned validate writes neither the terminal report nor the --output file with any fragment of it', async () => {
      const c = everySecret[0]!;
      const repo = plantedRepo(c);
      const report = join(repo, 'report.sarif');
      const run = await promisify(execFile)(process.execPath, [
        CLI,
        'validate',
        repo,
        '--env',
        'prod',
        '--format',
        'sarif',
        '--output',
        report,
      ]).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(run.code).toBe(1);
      const sarif = readFileSync(report, 'utf8');
      expect(sarif).toContain(RULE);
      for (const [where, text] of [
        ['stdout', run.stdout],
        ['stderr', run.stderr],
        ['SARIF file', sarif],
      ])
        expectNoLeak(text!, c.secret, where!);
    });

    it('build keeps secret references: credentials in the build environment never reach an artifact', async () => {
      const names = [...new Set(FILES.flatMap((f) => [...f.text.matchAll(/\benv:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!)))];
      expect(names).toEqual(expect.arrayContaining(['OTLP_API_KEY', 'MCP_SESSION_KEY', 'MODERATION_API_KEY', 'WEBHOOK_API_KEY']));
      const secrets = names.map((name, i) => ({ name, secret: FAKE_SECRETS[i % FAKE_SECRETS.length]! }));
      const saved = names.map((name) => [name, process.env[name]] as const);
      const out = tempDir('secret-build');
      temp.push(out);
      try {
        for (const { name, secret } of secrets) process.env[name] = secret.value;
        const build = await runMain('build', acmeRepo(), '--env', 'prod', '--out', out);
        expect(build.code, build.stderr).toBe(0);
      } finally {
        for (const [name, value] of saved) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
      const artifacts = filesUnder(out);
      expect(artifacts.length).toBeGreaterThan(3);
      for (const file of artifacts) {
        const text = readFileSync(file, 'utf8');
        for (const { secret } of secrets) expectNoLeak(text, secret, file);
      }
    });
  });
});
