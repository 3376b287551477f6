// What one side of a plan compiles and builds to, kept between runs under the hash of everything it depends
// on: the code, the request, and every file the compile reads. A plan against the same base again then costs
// only its head. Entries hold what the repo holds (values, findings, artifacts), never more.
import { createHash, hash } from 'node:crypto';
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
 * A side as stored: resources without their way back to the source (`load` gets it on demand); artifacts by the
 * sha256 of their bytes, and the large parts (the graph, the targets' findings) by the sha256 of their v8
 * serialization, each an entry of its own shared by every side that has it, so that only what differs from the
 * head is read (and what is the same is the head's very object, which the planner compares in no time).
 */
type StoredSide = Omit<PlanSide, 'resources' | 'artifacts' | SharedPart> & {
  resources: StoredResource[];
  /** The resources' values, each v8-serialized, one after the other. */
  values: Uint8Array;
  artifacts?: Record<string, Record<string, StoredArtifact>>;
} & { [P in SharedPart]?: { sha256: string } };

/** A resource without its value, which is decoded only when the head has none with the same content key. */
type StoredResource = Omit<PlanResource, 'locate' | 'value'> & { at: number; length: number; key?: string };

/** The parts of a side kept by their hash. */
const SHARED_PARTS = ['graph', 'targetDiagnostics'] as const;
type SharedPart = (typeof SHARED_PARTS)[number];

/** Artifact bytes, by their sha256. */
const ARTIFACTS = 'artifact';
/** Shared parts, v8-serialized, by their sha256. */
const PARTS = 'part';

const SURROGATE = /[\uD800-\uDFFF]/;

/** The sha256 of an artifact's UTF-8 bytes; or the text itself, when UTF-8 would not keep it. */
type StoredArtifact = { sha256: string } | { text: string };
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
  const artifact = (text: string): StoredArtifact => {
    // A lone surrogate would come back from UTF-8 as U+FFFD: such text is kept as it is.
    if (SURROGATE.test(text)) return { text };
    const bytes = Buffer.from(text, 'utf8');
    const sha256 = digest(bytes);
    store.put(ARTIFACTS, sha256, bytes);
    return { sha256 };
  };
  const { resources = [], artifacts, graph, targetDiagnostics, contentKey, ...rest } = side;
  const shared = { graph, targetDiagnostics };
  const values: Buffer[] = [];
  let at = 0;
  const stored: StoredSide = {
    ...rest,
    resources: resources.map((resource) => {
      const { id, kind, name, file, value } = resource;
      const bytes = serialize(value);
      values.push(bytes);
      at += bytes.length;
      const key = contentKey?.(resource);
      return { id, kind, name, file, at: at - bytes.length, length: bytes.length, ...(key ? { key } : {}) };
    }),
    values: Buffer.concat(values),
    artifacts: artifacts && mapArtifacts(artifacts, artifact),
  };
  for (const part of SHARED_PARTS) {
    if (shared[part] === undefined) continue;
    const bytes = serialize(shared[part]);
    const sha256 = digest(bytes);
    store.put(PARTS, sha256, bytes);
    stored[part] = { sha256 };
  }
  store.put(KIND, key, serialize(stored));
}

export interface LoadSideOptions {
  /** Where a resource's source positions are, called only when a plan points at a line of the base. */
  locate: (id: string, path: DocPath, at?: LocateAt) => Location | undefined;
  /** The head: an artifact with the same path and bytes, or a shared part the same, is taken from here, not read. */
  head?: PlanSide;
}

/** A side as read from the store, before the head it is compared with is known. */
export type StoredSideEntry = { readonly stored: StoredSide };

/** The entry stored under `key`, decoded; undefined when there is none or it does not decode. Needs nothing of the head. */
export function readSide(store: CacheStore, key: string): StoredSideEntry | undefined {
  const bytes = store.get(KIND, key);
  if (!bytes) return undefined;
  let stored: StoredSide;
  try {
    stored = deserialize(bytes);
  } catch {
    return undefined;
  }
  if (!Array.isArray(stored?.resources) || !Array.isArray(stored.diagnostics) || !(stored.values instanceof Uint8Array)) return undefined;
  return { stored };
}

/** The side of a stored entry, or undefined when it does not check out (an artifact of it missing, say). */
export function loadSide(store: CacheStore, entry: StoredSideEntry | undefined, options: LoadSideOptions): PlanSide | undefined {
  if (!entry) return undefined;
  const { stored } = entry;
  const resources = sameAsHead(stored, options.head);
  if (!resources) return undefined;
  const text = (target: string, path: string, a: StoredArtifact): string | undefined => {
    if ('text' in a) return a.text;
    const head = options.head?.artifacts?.[target]?.[path];
    if (head !== undefined && !SURROGATE.test(head) && digest(head) === a.sha256) return head;
    return store.get(ARTIFACTS, a.sha256)?.toString('utf8');
  };
  const artifacts = stored.artifacts && mapArtifacts(stored.artifacts, (a, target, path) => text(target, path, a));
  // An artifact pruned from the store (or damaged) makes the side incomplete: it is compiled again.
  if (artifacts && Object.values(artifacts).some((files) => Object.values(files).some((t) => t === undefined))) return undefined;
  const shared: Pick<PlanSide, SharedPart> = {};
  for (const part of SHARED_PARTS) {
    const stub = stored[part];
    if (stub === undefined) continue;
    const value = sharedPart(store, stub.sha256, options.head?.[part]);
    if (value === undefined) return undefined;
    shared[part] = value as never;
  }
  const fileStart = (file: string): Location => ({ file, line: 1, column: 1, endLine: 1, endColumn: 1 });
  const { graph: _graph, targetDiagnostics: _targetDiagnostics, values: _values, ...fields } = stored;
  return {
    ...fields,
    ...shared,
    resources: resources.map((r) => ({ ...r, locate: (path, at) => options.locate(r.id, path, at) ?? fileStart(r.file) })),
    artifacts: artifacts as ArtifactSet | undefined,
  };
}

/**
 * The stored resources with their values: the head's very value where the head has the resource with the same
 * content key (most of them, in a plan of a few files; the planner then compares them in no time), else decoded.
 * Undefined when one does not decode.
 */
function sameAsHead(stored: StoredSide, head: PlanSide | undefined): Omit<PlanResource, 'locate'>[] | undefined {
  const keyOf = head?.contentKey;
  const heads = new Map(keyOf ? (head?.resources ?? []).map((r) => [r.id, r]) : []);
  const out: Omit<PlanResource, 'locate'>[] = [];
  for (const { at, length, key, ...r } of stored.resources) {
    const mine = heads.get(r.id);
    if (mine && key !== undefined && keyOf!(mine) === key) {
      out.push({ ...r, value: mine.value });
      continue;
    }
    try {
      out.push({ ...r, value: deserialize(stored.values.subarray(at, at + length)) });
    } catch {
      return undefined;
    }
  }
  return out;
}

/** The part stored under `sha256`: the head's when it serializes to the same bytes; undefined when missing. */
function sharedPart(store: CacheStore, sha256: string, head: unknown): unknown {
  if (head !== undefined && digest(serialize(head)) === sha256) return head;
  const bytes = store.get(PARTS, sha256);
  if (!bytes) return undefined;
  try {
    return deserialize(bytes);
  } catch {
    return undefined;
  }
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

/** A string's is its UTF-8 bytes', hashed without a copy of them (the head's artifacts are tens of megabytes). */
function digest(bytes: Buffer | string): string {
  return hash('sha256', bytes, 'hex');
}
