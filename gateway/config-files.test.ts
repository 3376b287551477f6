// Reading the config from a file, or from a directory holding it or its parts; a torn set of parts is refused.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configSource, PARTS_INDEX } from './config-files.ts';
import { ConfigError } from './config.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-config-files-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

type Part = [file: string, content: string | Buffer];

/** A fresh directory holding `files`. */
function dirWith(files: Part[]): string {
  const dir = fs.mkdtempSync(path.join(root, 'd-'));
  for (const [file, content] of files) fs.writeFileSync(path.join(dir, file), content);
  return dir;
}
const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');
const index = (parts: Part[]) => parts.map(([file, content]) => `${sha256(content)}  ${file}\n`).join('');
const partsDir = (parts: Part[], indexText = index(parts)) => dirWith([[PARTS_INDEX, indexText], ...parts]);

const CONFIG = '{\n  "irVersion": 1,\n  "note": "réglé"\n}\n';
const bytes = Buffer.from(CONFIG);
/** The second part ends inside the two bytes of `é`. */
const cut = bytes.indexOf(Buffer.from('é')) + 1;
const PARTS: Part[] = [
  ['config.json.part-000', bytes.subarray(0, 16)],
  ['config.json.part-001', bytes.subarray(16, cut)],
  ['config.json.part-002', bytes.subarray(cut)],
];
const [first, second, third] = PARTS as [Part, Part, Part];

describe('configSource', () => {
  it("reads a file and watches its directory for it and for Kubernetes' ..data swap only", () => {
    const dir = dirWith([['prod.json', CONFIG]]);
    const source = configSource(path.join(dir, 'prod.json'));
    expect(source.read()).toEqual({ text: CONFIG, digest: sha256(CONFIG), source: path.join(dir, 'prod.json') });
    expect(source.dir).toBe(dir);
    expect(['prod.json', '..data', 'usage.jsonl', 'config.json'].map(source.concerns)).toEqual([true, true, false, false]);
  });

  it('decodes a file larger than its read chunks, a character cut at every chunk boundary', () => {
    // 64 KiB chunks: the two bytes of an `é` straddle each boundary.
    const text = `${'x'.repeat(64 * 1024 - 1)}é${`${'x'.repeat(64 * 1024 - 2)}é`.repeat(3)}`;
    const dir = dirWith([['config.json', text]]);
    expect(configSource(dir).read()).toMatchObject({ text, digest: sha256(text) });
  });

  it('reads config.json from a directory', () => {
    const dir = dirWith([
      ['config.json', CONFIG],
      ['gateway.mjs', ''],
    ]);
    expect(configSource(dir).read()).toEqual({ text: CONFIG, digest: sha256(CONFIG), source: path.join(dir, 'config.json') });
    expect(
      ['config.json', PARTS_INDEX, 'config.json.part-003', '..data', 'gateway.mjs', 'usage.jsonl'].map(configSource(dir).concerns),
    ).toEqual([true, true, true, true, false, false]);
  });

  it('joins the parts in the order of the index, whatever their names, and ignores files it does not list', () => {
    const dir = partsDir([...PARTS, ['config.json.part-009', 'left over from a larger build']], index(PARTS));
    expect(configSource(dir).read()).toEqual({ text: CONFIG, digest: sha256(CONFIG), source: `${dir} (config.json from 3 parts)` });
    const named: Part[] = [
      ['b', first[1]],
      ['a', second[1]],
      ['c', third[1]],
    ];
    expect(configSource(partsDir(named)).read().text).toBe(CONFIG);
  });

  it('reads an index written by sha256sum', () => {
    const dir = partsDir(PARTS, '');
    const listed = spawnSync(
      'sha256sum',
      PARTS.map(([file]) => file),
      { cwd: dir, encoding: 'utf8' },
    );
    expect(listed.status).toBe(0);
    fs.writeFileSync(path.join(dir, PARTS_INDEX), listed.stdout);
    expect(configSource(dir).read().text).toBe(CONFIG);
  });

  it('refuses a torn set: a part that does not match the index, or one missing', () => {
    const stale = partsDir(PARTS, index([first, [second[0], 'another build'], third]));
    expect(() => configSource(stale).read()).toThrow(ConfigError);
    expect(() => configSource(stale).read()).toThrow(
      `${path.join(stale, 'config.json.part-001')} does not match its SHA-256 in config.json.sha256: the set is incomplete or mixes two builds (Kubernetes updates a volume's ConfigMaps one at a time).`,
    );
    const missing = partsDir([first, second], index(PARTS));
    expect(() => configSource(missing).read()).toThrow(
      `${path.join(missing, 'config.json.part-002')}, listed in config.json.sha256, is missing: the set is incomplete`,
    );
  });

  it('refuses an index it cannot read, and a directory without a config', () => {
    expect(() => configSource(partsDir(PARTS, `${index(PARTS)}not a line\n`)).read()).toThrow(
      /config\.json\.sha256:4: expected "<sha256> {2}<part file>"/,
    );
    expect(() => configSource(partsDir(PARTS, `${sha256('x')}  ../config.json\n`)).read()).toThrow(/config\.json\.sha256:1: expected/);
    expect(() => configSource(partsDir([], '\n')).read()).toThrow(/config\.json\.sha256 lists no parts/);
    const empty = dirWith([]);
    expect(() => configSource(empty).read()).toThrow(`${empty} holds neither config.json nor config.json.sha256.`);
  });
});
