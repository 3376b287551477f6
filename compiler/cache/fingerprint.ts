// What every cached result depends on besides its inputs: the code that computed it. Part of every cache key,
// so that another version of modelgate, an edited checkout or other dependencies never read an entry.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../schema/package-root.ts';

/** The bundled CLI runs only when its sources match this list (bin/cli-bundle.mjs checks it). */
const BUNDLE_INPUTS = 'dist/modelgate.inputs.json';
/** Pinned dependency versions: the parser and schema validator are part of what a result depends on. */
const MANIFESTS = ['package.json', 'package-lock.json'];
/** Where the sources are when the CLI runs through tsx (or in tests). */
const SOURCE_DIRS = ['compiler', 'policies', 'schema', 'targets'];

let cached: string | undefined;

export function codeFingerprint(): string {
  return (cached ??= compute());
}

function compute(): string {
  const hash = createHash('sha256');
  const add = (name: string, content: Buffer | string) => hash.update(`${name}\0${content.length}\0`).update(content);
  for (const name of MANIFESTS) {
    const content = readOptional(join(PACKAGE_ROOT, name));
    if (content) add(name, content);
  }
  // Bundled, this module's URL is a chunk under dist/cli/: the bundle's list of inputs (with their hashes)
  // says all there is. From the sources, every source file counts.
  const bundled = import.meta.url.includes('/dist/cli/') ? readOptional(join(PACKAGE_ROOT, BUNDLE_INPUTS)) : undefined;
  if (bundled) add(BUNDLE_INPUTS, bundled);
  else for (const file of sourceFiles()) add(file, readFileSync(join(PACKAGE_ROOT, file)));
  return hash.digest('hex');
}

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(PACKAGE_ROOT, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = `${rel}/${entry.name}`;
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(path);
      else if (entry.isFile() && /\.(ts|mjs|js|json)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) files.push(path);
    }
  };
  SOURCE_DIRS.forEach(walk);
  return files;
}

function readOptional(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
