// What `npm ci` prebuilds into dist/ (scripts/build-cli.ts) and whether it may be used: only while every source
// it was built from is unchanged, so an edited checkout never runs stale code. The CLI then falls back to the
// TypeScript sources through tsx, and `modelgate build` bundles the gateway afresh.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export const BUNDLE_DIR = 'dist/cli';
export const BUNDLE_ENTRY = `${BUNDLE_DIR}/modelgate.mjs`;
/** Every source file of the CLI bundle (relative to the package root) with its `inputRecord`. */
export const INPUTS_FILE = 'dist/modelgate.inputs.json';
/** The Node gateway's runtime, bundled as `modelgate build` would, and its sources' records. */
export const GATEWAY_BUNDLE = 'dist/gateway/gateway.mjs';
export const GATEWAY_INPUTS_FILE = 'dist/gateway.inputs.json';
/** The kinds' schemas compiled by ajv as standalone code (compiler/validate/kind-validators.ts), and its inputs' records. */
export const VALIDATORS_MODULE = 'dist/validators/kinds.cjs';
export const VALIDATORS_INPUTS_FILE = 'dist/validators.inputs.json';

export function contentHash(text) {
  return createHash('sha1').update(text).digest('hex');
}

/**
 * What the build records of an input (at `path`, hashed from `hashedAt`, a `Date.now()`): its content's hash, and
 * its size and times (`statKey`), by which `isFresh` takes it as unchanged without reading it, as git's index
 * does: every start would otherwise read and hash the bundle's ≈400 sources (≈0.1 s). The racy case: an edit made
 * within the file system's timestamp granularity of the recorded mtime, keeping the size, would leave the times
 * unchanged. Such an edit after the hash is possible only when the times were that close to `hashedAt`, so those
 * inputs are recorded without times and always hashed. The ctime, which no tool can set back, catches a file
 * replaced by one of the same size with its mtime preserved (`cp -p`, `tar x`); any other change of it only
 * costs a hash.
 */
export function inputRecord(path, hashedAt) {
  const sha1 = contentHash(readFileSync(path));
  // Taken after the read: an edit in between makes the times recent, so they are not recorded.
  const stat = statSync(path, { bigint: true });
  const changedAt = Math.max(Number(stat.mtimeMs), Number(stat.ctimeMs));
  return changedAt < hashedAt - RACY_MS ? { sha1, stat: statKey(stat) } : { sha1 };
}

/** Coarser than any file system's timestamps (FAT's are 2 s). */
const RACY_MS = 3000;

/** Size, mtime and ctime, to the nanosecond, of a `bigint` stat. */
function statKey(stat) {
  return `${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

/** Whether the inputs recorded in `inputsFile` (under `root`) are all unchanged: same times, else same hash. */
export function isFresh(root, inputsFile) {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(join(root, inputsFile), 'utf8'));
  } catch {
    return false;
  }
  const packageDirs = new Map();
  for (const [file, { sha1, stat }] of Object.entries(inputs)) {
    const path = sourcePath(root, file, packageDirs);
    const now = stat && statSync(path, { bigint: true, throwIfNoEntry: false });
    if (now && statKey(now) === stat) continue;
    let text;
    try {
      text = readFileSync(path);
    } catch {
      return false;
    }
    if (contentHash(text) !== sha1) return false;
  }
  return true;
}

/**
 * Where a recorded input is read from under `root`. A dependency's file (`node_modules/…`, as the build found it)
 * is looked up as Node looks up its package from `root`: in an installed package the dependencies sit beside it
 * (`<project>/node_modules/`), not under it, and the prebuilt bundles must still count as fresh there.
 */
function sourcePath(root, file, packageDirs) {
  const at = file.indexOf('node_modules/');
  if (at < 0) return join(root, file);
  const inPackage = file.slice(at + 'node_modules/'.length);
  const name = inPackage
    .split('/')
    .slice(0, inPackage.startsWith('@') ? 2 : 1)
    .join('/');
  // Looked up once per package, found or not (null): the gateway's ≈860 dependency files come from a few packages.
  let dir = packageDirs.get(name);
  if (dir === undefined) packageDirs.set(name, (dir = nodeModulesWith(root, name) ?? null));
  return dir === null ? join(root, file) : join(dir, inPackage);
}

/** The `node_modules` directory Node would load package `name` from, for code under `root`. */
function nodeModulesWith(root, name) {
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules' && existsSync(join(dir, 'node_modules', name))) return join(dir, 'node_modules');
    if (dirname(dir) === dir) return undefined;
  }
}

/** The CLI bundle's path when it is up to date with its sources under `root`, else undefined. */
export function freshBundle(root) {
  return isFresh(root, INPUTS_FILE) ? join(root, BUNDLE_ENTRY) : undefined;
}
