// What one side of a plan compiles and builds to, kept between runs under the hash of everything it depends
// on: the code, the request, and every file the compile reads. A plan against the same base again then costs
// only its head. Entries hold what the repo holds (values, findings, artifacts), never more.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { loadRulesConfig } from '../../policies/index.ts';
import type { TargetName } from '../../targets/target.ts';
import { codeFingerprint } from '../cache/fingerprint.ts';
import type { CacheStore } from '../cache/store.ts';
import { discoverFiles } from '../../compiler/load/discover.ts';
import type { Location } from '../../kernel/diagnostics.ts';
import { DEFAULT_MAX_FILE_BYTES } from '../../compiler/load/load-project.ts';
import type { DocPath, LocateAt } from '../../kernel/resource.ts';
import type { ArtifactSet } from './artifact-diff.ts';
import type { PlanSide } from './plan.ts';
import type { PlanResource } from './resource-diff.ts';

const KIND = 'side';

export interface SideRequest {
  /** The config: a directory, read only when needed, and for a git revision its tree, which names its content. */
  base: { readonly root: string; tree?: string };
  env: string;
  targets: readonly TargetName[];
  /** The date exception expiry is judged against: a side compiled on another day may differ. */
  today: string;
  maxFileBytes?: number;
}

/**
 * A side as stored: resources without their way back to the source (`load` gets it on demand), and artifacts
 * as an index into the bytes after the rest, so that only those that differ from the head's are decoded.
 */
type StoredSide = Omit<PlanSide, 'resources' | 'artifacts'> & {
  resources: Omit<PlanResource, 'locate'>[];
  artifacts?: Record<string, Record<string, StoredArtifact>>;
};

const SURROGATE = /[\uD800-\uDFFF]/;

/** Where an artifact's UTF-8 bytes are, and their sha256; or the text itself, when UTF-8 would not keep it. */
type StoredArtifact = { at: number; length: number; sha256: string } | { text: string };

/**
 * sha256 over the code, the request, and the config: a git tree's id, or the rules config as read and the
 * path, size and bytes of every file of a directory.
 */
export function sideKey(request: SideRequest): string {
  const hash = createHash('sha256');
  const add = (part: string | Buffer) => hash.update(`${part.length}\0`).update(part);
  const maxBytes = request.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  add(JSON.stringify([codeFingerprint(), request.env, request.targets, request.today, maxBytes, request.base.tree ?? null]));
  if (request.base.tree !== undefined) return hash.digest('hex');
  const root = request.base.root;
  const { files, diagnostics } = discoverFiles(root);
  add(JSON.stringify(diagnostics));
  for (const file of files) {
    add(`${file.path}\0${file.size}`);
    if (file.size <= maxBytes) add(readFileSync(file.absolute));
  }
  add(JSON.stringify(loadRulesConfig(root)));
  return hash.digest('hex');
}

export function saveSide(store: CacheStore, key: string, side: PlanSide): void {
  const blobs: Buffer[] = [];
  let at = 0;
  const artifact = (text: string): StoredArtifact => {
    // A lone surrogate would come back from UTF-8 as U+FFFD: such text is kept as it is.
    if (SURROGATE.test(text)) return { text };
    const bytes = Buffer.from(text, 'utf8');
    blobs.push(bytes);
    at += bytes.length;
    return { at: at - bytes.length, length: bytes.length, sha256: digest(bytes) };
  };
  const stored: StoredSide = {
    ...side,
    resources: (side.resources ?? []).map(({ id, kind, name, file, value }) => ({ id, kind, name, file, value })),
    artifacts: side.artifacts && mapArtifacts(side.artifacts, artifact),
  };
  const meta = serialize(stored);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(meta.length);
  store.put(KIND, key, Buffer.concat([length, meta, ...blobs]));
}

export interface LoadSideOptions {
  /** Where a resource's source positions are, called only when a plan points at a line of the base. */
  locate: (id: string, path: DocPath, at?: LocateAt) => Location | undefined;
  /** The head's artifacts: a base artifact with the same path and bytes is taken from here, not decoded. */
  known?: ArtifactSet;
}

/** The side stored under `key`, or undefined when there is none that checks out. */
export function loadSide(store: CacheStore, key: string, options: LoadSideOptions): PlanSide | undefined {
  const bytes = store.get(KIND, key);
  if (!bytes || bytes.length < 4) return undefined;
  const metaEnd = 4 + bytes.readUInt32LE(0);
  let stored: StoredSide;
  try {
    stored = deserialize(bytes.subarray(4, metaEnd));
  } catch {
    return undefined;
  }
  if (!Array.isArray(stored?.resources) || !Array.isArray(stored.diagnostics)) return undefined;
  const blobs = bytes.subarray(metaEnd);
  const text = (target: string, path: string, a: StoredArtifact): string => {
    if ('text' in a) return a.text;
    const head = options.known?.[target]?.[path];
    if (head !== undefined && !SURROGATE.test(head) && digest(Buffer.from(head, 'utf8')) === a.sha256) return head;
    return blobs.toString('utf8', a.at, a.at + a.length);
  };
  const fileStart = (file: string): Location => ({ file, line: 1, column: 1, endLine: 1, endColumn: 1 });
  return {
    ...stored,
    resources: stored.resources.map((r) => ({ ...r, locate: (path, at) => options.locate(r.id, path, at) ?? fileStart(r.file) })),
    artifacts: stored.artifacts && mapArtifacts(stored.artifacts, (a, target, path) => text(target, path, a)),
  };
}

function mapArtifacts<A, B>(
  set: Record<string, Record<string, A>>,
  f: (artifact: A, target: string, path: string) => B,
): Record<string, Record<string, B>> {
  return Object.fromEntries(
    Object.entries(set).map(([target, files]) => [
      target,
      Object.fromEntries(Object.entries(files).map(([path, a]) => [path, f(a, target, path)])),
    ]),
  );
}

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
