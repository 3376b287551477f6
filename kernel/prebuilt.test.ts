import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runMain } from '../test/support/run-main.ts';
import { PACKAGE_ROOT } from '../schema/package-root.ts';
import { buildCli } from '../scripts/build-cli.ts';
import { buildGatewayBundle, bundleGateway } from '../targets/node/bundle.ts';
import {
  BUNDLE_ENTRY,
  GATEWAY_BUNDLE,
  GATEWAY_INPUTS_FILE,
  INPUTS_FILE,
  contentHash,
  freshBundle,
  inputRecord,
  isFresh,
} from './prebuilt.mjs';

function rootWith(sources: Record<string, string>, recorded: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'mg-bundle-'));
  mkdirSync(join(root, 'dist'));
  for (const [file, text] of Object.entries(sources)) writeFileSync(join(root, file), text);
  writeFileSync(
    join(root, INPUTS_FILE),
    JSON.stringify(Object.fromEntries(Object.entries(recorded).map(([f, t]) => [f, { sha1: contentHash(t) }]))),
  );
  return root;
}

describe('freshBundle', () => {
  it('runs the bundle when every source matches what it was built from', () => {
    const root = rootWith({ 'a.ts': 'one', 'b.ts': 'two' }, { 'a.ts': 'one', 'b.ts': 'two' });
    expect(freshBundle(root)).toBe(join(root, BUNDLE_ENTRY));
  });

  it('falls back to the sources when one was edited or removed since, or nothing was built', () => {
    expect(freshBundle(rootWith({ 'a.ts': 'one, edited' }, { 'a.ts': 'one' }))).toBeUndefined();
    expect(freshBundle(rootWith({}, { 'a.ts': 'one' }))).toBeUndefined();
    expect(freshBundle(mkdtempSync(join(tmpdir(), 'mg-bundle-')))).toBeUndefined();
  });
});

describe('isFresh', () => {
  it("finds a dependency's file where Node finds its package: under the root, or beside an installed package", () => {
    const project = mkdtempSync(join(tmpdir(), 'mg-installed-'));
    const root = join(project, 'node_modules/modelgate');
    const dependency = (dir: string, text: string) => {
      mkdirSync(join(dir, 'node_modules/@scope/dep'), { recursive: true });
      writeFileSync(join(dir, 'node_modules/@scope/dep/index.js'), text);
    };
    mkdirSync(join(root, 'dist'), { recursive: true });
    const record = (text: string) =>
      writeFileSync(join(root, INPUTS_FILE), JSON.stringify({ 'node_modules/@scope/dep/index.js': { sha1: contentHash(text) } }));
    // Hoisted beside the package, as npm installs it.
    dependency(project, 'dep v1');
    record('dep v1');
    expect(isFresh(root, INPUTS_FILE)).toBe(true);
    record('dep v2');
    expect(isFresh(root, INPUTS_FILE)).toBe(false);
    // A copy under the package itself is the one Node loads, so the one that counts.
    dependency(root, 'dep v2');
    expect(isFresh(root, INPUTS_FILE)).toBe(true);
    rmSync(project, { recursive: true, force: true });
  });
});

describe('inputRecord', () => {
  const HOUR = 3600_000;
  const recordOf = (root: string, file: string, record: object) =>
    writeFileSync(join(root, INPUTS_FILE), JSON.stringify({ [file]: record }));

  it('lets isFresh trust an input whose size and times are unchanged without reading it, and hash it once they change', async () => {
    const root = rootWith({ 'a.ts': 'one' }, {});
    const path = join(root, 'a.ts');
    const mtime = new Date(Date.now() - HOUR);
    utimesSync(path, mtime, mtime);
    // As if hashed an hour after the file was last changed.
    const record = inputRecord(path, Date.now() + HOUR);
    expect(record).toEqual({ sha1: contentHash('one'), stat: expect.any(String) });
    // A wrong hash beside matching times goes unnoticed: the file was not read.
    recordOf(root, 'a.ts', { ...record, sha1: contentHash('other') });
    expect(isFresh(root, INPUTS_FILE)).toBe(true);
    // Same size, mtime set back as `cp -p` would: the ctime moved, so it is hashed, and the edit found.
    await sleep(50);
    writeFileSync(path, 'owt');
    utimesSync(path, mtime, mtime);
    recordOf(root, 'a.ts', record);
    expect(isFresh(root, INPUTS_FILE)).toBe(false);
    writeFileSync(path, 'one');
    expect(isFresh(root, INPUTS_FILE)).toBe(true);
  });

  it('records no times for an input changed just before it was hashed: an edit in the same timestamp tick would keep them', () => {
    const root = rootWith({ 'a.ts': 'one' }, {});
    expect(inputRecord(join(root, 'a.ts'), Date.now())).toEqual({ sha1: contentHash('one') });
  });
});

describe('the bundled CLI (built by the test setup)', () => {
  it('is what bin/modelgate.mjs runs, and reports exactly what the sources do', async () => {
    // The suite's setup built it; sources edited since (while working on them) need a rebuild first.
    if (!freshBundle(PACKAGE_ROOT)) await buildCli();
    expect(freshBundle(PACKAGE_ROOT)).toBe(join(PACKAGE_ROOT, BUNDLE_ENTRY));
    const args = ['validate', 'fixtures/invalid/dangling-provider', '--format', 'json'];
    let bundled = '';
    let code = 0;
    try {
      bundled = execFileSync(process.execPath, [join(PACKAGE_ROOT, 'bin/modelgate.mjs'), ...args], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
    } catch (e) {
      ({ stdout: bundled, status: code } = e as { stdout: string; status: number });
    }
    const inProcess = await runMain(...args);
    expect(code).toBe(1);
    expect(inProcess.code).toBe(1);
    expect(bundled).toBe(inProcess.stdout);
    expect(JSON.parse(bundled).diagnostics.length).toBeGreaterThan(0);
  });
});

describe('the prebuilt gateway bundle', () => {
  it('is byte for byte what `modelgate build` would bundle now, and is what it uses', async () => {
    if (!isFresh(PACKAGE_ROOT, GATEWAY_INPUTS_FILE)) await buildCli();
    const prebuilt = readFileSync(join(PACKAGE_ROOT, GATEWAY_BUNDLE), 'utf8');
    expect(prebuilt).toBe((await buildGatewayBundle()).text);
    expect(await bundleGateway()).toBe(prebuilt);
  }, 60_000);
});
