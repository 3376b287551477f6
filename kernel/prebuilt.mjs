// What `npm ci` prebuilds into dist/ (scripts/build-cli.ts) and whether it may be used: only while every source
// it was built from is unchanged, so an edited checkout never runs stale code. The CLI then falls back to the
// TypeScript sources through tsx, and `modelgate build` bundles the gateway afresh.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export const BUNDLE_DIR = 'dist/cli';
export const BUNDLE_ENTRY = `${BUNDLE_DIR}/modelgate.mjs`;
/** Every source file of the CLI bundle (relative to the package root) with the hash of its content. */
export const INPUTS_FILE = 'dist/modelgate.inputs.json';
/** The Node gateway's runtime, bundled as `modelgate build` would, and its sources' hashes. */
export const GATEWAY_BUNDLE = 'dist/gateway/gateway.mjs';
export const GATEWAY_INPUTS_FILE = 'dist/gateway.inputs.json';
/** The kinds' schemas compiled by ajv as standalone code (compiler/validate/kind-validators.ts), and its inputs' hashes. */
export const VALIDATORS_MODULE = 'dist/validators/kinds.cjs';
export const VALIDATORS_INPUTS_FILE = 'dist/validators.inputs.json';

export function contentHash(text) {
  return createHash('sha1').update(text).digest('hex');
}

/** Whether the inputs recorded in `inputsFile` (under `root`) all still hash as they did. */
export function isFresh(root, inputsFile) {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(join(root, inputsFile), 'utf8'));
  } catch {
    return false;
  }
  for (const [file, hash] of Object.entries(inputs)) {
    let text;
    try {
      text = readFileSync(sourcePath(root, file));
    } catch {
      return false;
    }
    if (contentHash(text) !== hash) return false;
  }
  return true;
}

/**
 * Where a recorded input is read from under `root`. A dependency's file (`node_modules/…`, as the build found it)
 * is looked up as Node looks up its package from `root`: in an installed package the dependencies sit beside it
 * (`<project>/node_modules/`), not under it, and the prebuilt bundles must still count as fresh there.
 */
function sourcePath(root, file) {
  const at = file.indexOf('node_modules/');
  if (at < 0) return join(root, file);
  const inPackage = file.slice(at + 'node_modules/'.length);
  const name = inPackage
    .split('/')
    .slice(0, inPackage.startsWith('@') ? 2 : 1)
    .join('/');
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules' && existsSync(join(dir, 'node_modules', name))) return join(dir, 'node_modules', inPackage);
    if (dirname(dir) === dir) return join(root, file);
  }
}

/** The CLI bundle's path when it is up to date with its sources under `root`, else undefined. */
export function freshBundle(root) {
  return isFresh(root, INPUTS_FILE) ? join(root, BUNDLE_ENTRY) : undefined;
}
