// A content-addressed store of byte strings on disk: `<dir>/<kind>/<ab>/<key>`, each framed with a checksum
// over its key and payload. Anything that does not check out (truncated, corrupted, written for another key,
// a symbolic link) is a miss and gets recomputed; writes go to a temporary file renamed into place, so a
// reader never sees half an entry. The store is an optimisation: no failure in it fails a command.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  futimesSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

const MAGIC = Buffer.from('modelgate-cache-1\n');
const CHECKSUM_BYTES = 32;
const HEADER_BYTES = MAGIC.length + CHECKSUM_BYTES;
/** An entry read after this long is marked used again (its mtime), so pruning removes what is not used. */
const TOUCH_AFTER_MS = 24 * 3600 * 1000;
/** Temporary files older than this were left by a process that died mid-write. */
const STALE_TMP_MS = 3600 * 1000;
const KEY = /^[0-9a-f]{64}$/;

export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

export interface CacheStore {
  readonly dir: string;
  /** The bytes stored under `key`, or undefined when there are none that check out. */
  get(kind: string, key: string): Buffer | undefined;
  /** Stores `payload` under `key`, replacing what was there. */
  put(kind: string, key: string, payload: Uint8Array): void;
  remove(kind: string, key: string): void;
  /** Bytes written by this process: a store that wrote nothing need not be pruned. */
  readonly written: number;
  /** Removes the least recently used entries until the store holds at most `maxBytes`. */
  prune(maxBytes?: number): void;
}

/** A store in `dir`, which must exist and be a real directory (the caller decided where it may be). */
export function openStore(dir: string): CacheStore {
  const realDirs = new Set<string>();
  // A folder of the store that is a link (planted, or left by something else) could lead reads and writes
  // anywhere: it is not used.
  const ensureDir = (path: string, create: boolean): boolean => {
    if (realDirs.has(path)) return true;
    try {
      if (!lstatSync(path).isDirectory()) return false;
    } catch {
      if (!create) return false;
      try {
        mkdirSync(path, { mode: 0o700 });
      } catch {
        if (!lstatSync(path, { throwIfNoEntry: false })?.isDirectory()) return false;
      }
    }
    realDirs.add(path);
    return true;
  };
  const shard = (kind: string, key: string, create: boolean): string | undefined => {
    if (!/^[a-z]+$/.test(kind) || !KEY.test(key)) throw new Error(`cache: bad entry name ${kind}/${key}`);
    const kindDir = join(dir, kind);
    const shardDir = join(kindDir, key.slice(0, 2));
    return ensureDir(kindDir, create) && ensureDir(shardDir, create) ? shardDir : undefined;
  };
  let written = 0;
  return {
    dir,
    get written() {
      return written;
    },
    get(kind, key) {
      const at = shard(kind, key, false);
      const bytes = at === undefined ? undefined : readEntry(join(at, key));
      if (!bytes || bytes.length < HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
      const payload = bytes.subarray(HEADER_BYTES);
      return checksum(key, payload).equals(bytes.subarray(MAGIC.length, HEADER_BYTES)) ? payload : undefined;
    },
    put(kind, key, payload) {
      const at = shard(kind, key, true);
      if (at === undefined) return;
      const tmp = join(at, `${key}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        // `wx` creates a new file and fails on anything already there, a link included.
        writeFileSync(tmp, Buffer.concat([MAGIC, checksum(key, payload), payload]), { flag: 'wx', mode: 0o600 });
        renameSync(tmp, join(at, key));
        written += HEADER_BYTES + payload.length;
      } catch {
        rmSync(tmp, { force: true });
      }
    },
    remove(kind, key) {
      const at = shard(kind, key, false);
      if (at !== undefined) rmSync(join(at, key), { force: true });
    },
    prune(maxBytes = DEFAULT_MAX_BYTES) {
      try {
        pruneStore(dir, maxBytes);
      } catch {
        // Another process pruning or writing at the same time: the next run prunes again.
      }
    },
  };
}

function checksum(key: string, payload: Uint8Array): Buffer {
  return createHash('sha256').update(key).update(payload).digest();
}

/** The bytes of a regular file, never through a link; undefined when it is missing or unreadable. */
function readEntry(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    const bytes = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const n = readSync(fd, bytes, read, bytes.length - read, read);
      if (n === 0) return undefined;
      read += n;
    }
    if (Date.now() - stat.mtimeMs > TOUCH_AFTER_MS) futimesSync(fd, new Date(), new Date());
    return bytes;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

interface Entry {
  path: string;
  size: number;
  mtimeMs: number;
}

/** Least recently used first, down to three quarters of the limit, so that pruning is not needed every run. */
function pruneStore(dir: string, maxBytes: number): void {
  const entries: Entry[] = [];
  const now = Date.now();
  for (const kind of folders(dir)) {
    for (const shardName of folders(join(dir, kind))) {
      const shardDir = join(dir, kind, shardName);
      for (const name of readdirSync(shardDir)) {
        const path = join(shardDir, name);
        const stat = lstatSync(path, { throwIfNoEntry: false });
        if (!stat?.isFile()) continue;
        if (name.endsWith('.tmp')) {
          if (now - stat.mtimeMs > STALE_TMP_MS) rmSync(path, { force: true });
        } else if (KEY.test(name)) entries.push({ path, size: stat.size, mtimeMs: stat.mtimeMs });
      }
    }
  }
  let total = entries.reduce((sum, e) => sum + e.size, 0);
  if (total <= maxBytes) return;
  entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const entry of entries) {
    if (total <= maxBytes * 0.75) break;
    rmSync(entry.path, { force: true });
    total -= entry.size;
  }
}

/** Names of the real folders in `dir`; links are not followed. */
function folders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}
