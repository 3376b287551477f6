// End to end: credentials planted in fixture fields are reported by kind and place, and no report format
// of `modelgate validate` contains their value.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runMain } from '../test/support/run-main.ts';

// Assembled at run time, so that this file holds no token-shaped literal.
const PLANTS: { file: string; doc: number; path: (string | number)[]; value: string }[] = [
  { file: 'providers/openai.yaml', doc: 0, path: ['spec', 'headers', 'X-Debug'], value: 'sk-proj-' + 'Pl4nt3dOpenAIk3yV4lu3xyz' },
  { file: 'routes/chat-default.yaml', doc: 0, path: ['metadata', 'annotations', 'note'], value: 'AKIA' + 'PLANTEDAWSKEY123' },
  { file: 'prompts/support-reply.yaml', doc: 0, path: ['metadata', 'annotations', 'ci'], value: 'glpat-' + 'PlantedGitLabToken0099' },
  { file: 'environments/dev.yaml', doc: 0, path: ['spec', 'variables', 'DB_PASSWORD'], value: 'Zq8' + '#mT4!vLx92Rw7Kp' },
  {
    file: 'consumers/support.yaml',
    doc: 1,
    path: ['metadata', 'description'],
    value: 'eyJhbGciOiJIUzI1NiJ9.' + 'eyJzdWIiOiJwbGFudGVkIn0.' + 'cGxhbnRlZC1zaWduYXR1cmU',
  },
  {
    file: 'gateway.yaml',
    doc: 0,
    path: ['spec', 'auth', 'jwt', 0, 'publicKey'],
    value: '-----BEGIN EC ' + 'PRIVATE KEY-----\nMHcCAQEEIPlanted\n-----END EC PRIVATE KEY-----',
  },
  { file: 'access/payments.yaml', doc: 0, path: ['metadata', 'description'], value: 'key sk-ant-' + 'api03-PlantedAnthropicKey42' },
];

const root = mkdtempSync(join(tmpdir(), 'modelgate-planted-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(() => {
  cpSync(new URL('../fixtures/acme', import.meta.url).pathname, root, { recursive: true });
  for (const plant of PLANTS) {
    const path = join(root, plant.file);
    const docs = parseAllDocuments(readFileSync(path, 'utf8'));
    docs[plant.doc]!.setIn(plant.path, plant.value);
    writeFileSync(path, docs.map((d) => d.toString()).join('---\n'));
  }
});

describe('planted credentials (in a copy of fixtures/acme)', () => {
  it('finds each one, by kind and file', async () => {
    const { code, stdout } = await runMain('validate', root, '--env', 'dev', '--format', 'json');
    expect(code).toBe(1);
    const found = JSON.parse(stdout).diagnostics.filter((d: { ruleId: string }) => d.ruleId === 'no-literal-credentials');
    expect(found.map((d: { file: string }) => d.file).sort()).toEqual(PLANTS.map((p) => p.file).sort());
  });

  it.each(['text', 'json', 'sarif', 'codequality', 'junit'])('never prints a value in the %s report', async (format) => {
    const { stdout, stderr } = await runMain('validate', root, '--env', 'all', '--format', format);
    expect(stdout.length).toBeGreaterThan(100);
    for (const plant of PLANTS) {
      for (const piece of plant.value.split(/\s+/).filter((p) => p.length >= 12)) {
        expect(stdout + stderr).not.toContain(piece);
      }
    }
  });
});
