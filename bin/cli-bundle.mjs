// Where the bundled CLI lives and whether it may run: only when every source it was built from is unchanged,
// so an edited checkout never runs stale code (it falls back to the TypeScript sources through tsx).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const BUNDLE_DIR = 'dist/cli';
export const BUNDLE_ENTRY = `${BUNDLE_DIR}/modelgate.mjs`;
/** Every source file of the bundle (relative to the package root) with the hash of its content. */
export const INPUTS_FILE = 'dist/modelgate.inputs.json';

export function contentHash(text) {
  return createHash('sha1').update(text).digest('hex');
}

/** The bundle's path when it is up to date with its sources under `root`, else undefined. */
export function freshBundle(root) {
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(join(root, INPUTS_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  for (const [file, hash] of Object.entries(inputs)) {
    let text;
    try {
      text = readFileSync(join(root, file));
    } catch {
      return undefined;
    }
    if (contentHash(text) !== hash) return undefined;
  }
  return join(root, BUNDLE_ENTRY);
}
