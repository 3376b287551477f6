// The incremental engine's state between runs (pipeline/incremental-checks.ts): per scope (environment, date,
// rules config, and the code), the last few states, each with a sketch of its resources' keys, so that a compile
// starts from the closest one (a plan's head from the head before it, its base from the base) and re-checks only
// where it differs. A state is stored under the hash of its resources' keys: the same state is never written twice.
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { CheckSnapshot, CheckStates } from '../../pipeline/incremental-checks.ts';
import { codeFingerprint } from './fingerprint.ts';
import type { CacheStore } from './store.ts';

const STATES = 'checks';
/** Which states a scope has, newest first: the only entries that are replaced rather than added. */
const INDEXES = 'checkindex';
/** States kept per scope: the heads and bases of the merge requests planned lately. */
const KEPT = 4;
/** How much of each resource key a sketch keeps: enough to tell the closest state, small enough to read quickly. */
const SKETCH_CHARS = 8;

interface IndexEntry {
  state: string;
  /** The first characters of every resource key of the state, one after the other. */
  sketch: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** States in `store`, for the code `fingerprint` (this code's when omitted): other code's states are not read. */
export function checkStates(store: CacheStore, fingerprint = codeFingerprint()): CheckStates {
  const indexKey = (scope: string) => sha256(`${fingerprint}\0${scope}`);
  const readIndex = (scope: string): IndexEntry[] => {
    const entries = decode(store.get(INDEXES, indexKey(scope)));
    return Array.isArray(entries) ? entries.filter((e) => typeof e?.state === 'string' && typeof e.sketch === 'string') : [];
  };
  return {
    load(scope, keys) {
      const wanted = new Set(keys.map((key) => key.slice(0, SKETCH_CHARS)));
      let best: { state: string; shared: number } | undefined;
      for (const entry of readIndex(scope)) {
        let shared = 0;
        for (let at = 0; at < entry.sketch.length; at += SKETCH_CHARS) if (wanted.has(entry.sketch.slice(at, at + SKETCH_CHARS))) shared++;
        if (!best || shared > best.shared) best = { state: entry.state, shared };
      }
      const snapshot = best && decode(store.get(STATES, best.state));
      return isSnapshot(snapshot) ? snapshot : undefined;
    },
    save(scope, snapshot) {
      const keys = snapshot.byKind.flatMap(([, kindKeys]) => kindKeys);
      const state = sha256(`${fingerprint}\0${scope}\0${JSON.stringify([snapshot.byKind, snapshot.declared])}`);
      const index = readIndex(scope);
      if (index.some((e) => e.state === state)) return;
      store.put(STATES, state, serialize(snapshot));
      const next = [{ state, sketch: keys.map((key) => key.slice(0, SKETCH_CHARS).padEnd(SKETCH_CHARS)).join('') }, ...index];
      store.put(INDEXES, indexKey(scope), serialize(next.slice(0, KEPT)));
      for (const dropped of next.slice(KEPT)) store.remove(STATES, dropped.state);
    },
  };
}

function decode(bytes: Buffer | undefined): unknown {
  if (!bytes) return undefined;
  try {
    return deserialize(bytes);
  } catch {
    return undefined;
  }
}

/** The shape `CheckCache` restores from; anything else (another format, a damaged entry) is not used. */
function isSnapshot(value: unknown): value is CheckSnapshot {
  const s = value as CheckSnapshot | undefined;
  const rows = (list: unknown) => Array.isArray(list) && list.every((row) => Array.isArray(row));
  return rows(s?.byKind) && rows(s!.declared) && rows(s!.parts) && rows(s!.findings);
}
