import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePack, encodePack } from './pack.ts';
import { openStore } from './store.ts';

const key = (text: string) => createHash('sha256').update(text).digest('hex');
const scratch = () => mkdtempSync(join(tmpdir(), 'mg-store-'));
const entryPath = (dir: string, kind: string, k: string) => join(dir, kind, k.slice(0, 2), k);

describe('openStore', () => {
  it('returns what was put, and nothing for a key never put', () => {
    const store = openStore(scratch());
    store.put('parse', key('a'), Buffer.from('hello'));
    expect(store.get('parse', key('a'))?.toString()).toBe('hello');
    expect(store.get('parse', key('b'))).toBeUndefined();
    expect(store.written).toBeGreaterThan(5);
  });

  it('ignores an entry that is truncated, corrupted, or written for another key', () => {
    const dir = scratch();
    const store = openStore(dir);
    for (const k of ['a', 'b', 'c', 'd']) store.put('side', key(k), Buffer.from(`payload of ${k}`.repeat(10)));
    const bytes = (k: string) => readFileSync(entryPath(dir, 'side', key(k)));
    writeFileSync(entryPath(dir, 'side', key('a')), bytes('a').subarray(0, 40));
    const flipped = bytes('b');
    flipped[flipped.length - 3] ^= 1;
    writeFileSync(entryPath(dir, 'side', key('b')), flipped);
    copyFileSync(entryPath(dir, 'side', key('d')), entryPath(dir, 'side', key('c')));
    expect(['a', 'b', 'c'].map((k) => store.get('side', key(k)))).toEqual([undefined, undefined, undefined]);
    expect(store.get('side', key('d'))?.toString()).toContain('payload of d');
  });

  it('reads and writes through no symbolic link, neither an entry nor a folder', () => {
    const dir = scratch();
    const outside = scratch();
    // A good entry moved outside and linked back is a miss, though what the link points to would check out.
    openStore(dir).put('parse', key('link'), Buffer.from('x'));
    renameSync(entryPath(dir, 'parse', key('link')), join(outside, 'target'));
    symlinkSync(join(outside, 'target'), entryPath(dir, 'parse', key('link')));
    expect(openStore(dir).get('parse', key('link'))).toBeUndefined();
    // A folder of the store that is a link is neither read nor written.
    symlinkSync(outside, join(dir, 'side'));
    const store = openStore(dir);
    store.put('side', key('s'), Buffer.from('y'));
    expect(readdirSync(outside)).toEqual(['target']);
    expect(store.get('side', key('s'))).toBeUndefined();
  });

  it('prunes the least recently used entries past the limit, and temporary files left behind', () => {
    const dir = scratch();
    const store = openStore(dir);
    const old = Date.now() / 1000 - 7200;
    for (const [i, k] of ['old', 'mid', 'new'].entries()) {
      store.put('parse', key(k), Buffer.alloc(1000));
      utimesSync(entryPath(dir, 'parse', key(k)), old + i * 60, old + i * 60);
    }
    const tmp = `${entryPath(dir, 'parse', key('new'))}.123.abcd.tmp`;
    writeFileSync(tmp, 'half an entry');
    utimesSync(tmp, old, old);
    store.prune(2500);
    expect(['old', 'mid', 'new'].map((k) => existsSync(entryPath(dir, 'parse', key(k))))).toEqual([false, false, true]);
    expect(existsSync(tmp)).toBe(false);
  });

  it('refuses entry names that could leave the store', () => {
    const store = openStore(scratch());
    expect(() => store.put('parse', '../../etc/passwd', Buffer.from('x'))).toThrow(/bad entry name/);
    expect(() => store.get('../x', key('a'))).toThrow(/bad entry name/);
  });
});

describe('packs', () => {
  it('round-trip their entries, and refuse what is not a whole pack', () => {
    const entries = new Map([
      [key('a'), Buffer.from('first')],
      [key('b'), Buffer.alloc(0)],
      [key('c'), Buffer.from('third')],
    ]);
    const pack = encodePack(entries);
    expect([...decodePack(pack)!].map(([k, v]) => [k, v.toString()])).toEqual([...entries].map(([k, v]) => [k, v.toString()]));
    expect(decodePack(pack.subarray(0, pack.length - 1))).toBeUndefined();
    expect(decodePack(Buffer.concat([pack, Buffer.from('x')]))).toBeUndefined();
    expect(decodePack(Buffer.from([255, 255, 255, 255]))).toBeUndefined();
  });
});
