// What every cached result depends on besides its inputs: the code that computed it. Part of every cache key,
// so that another version of modelgate, an edited checkout or other dependencies never read an entry.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../schema/package-root.ts';

/** Pinned dependency versions: the parser and schema validator are part of what a result depends on. */
const MANIFESTS = ['package.json', 'package-lock.json'];
/**
 * The sources, whether the CLI runs bundled or through tsx: some are read at run time either way (the JSON
 * Schemas, the gateway runtime the node target bundles), and the bundle runs only when it matches the rest.
 */
const SOURCE_DIRS = ['cli', 'compiler', 'gateway', 'gitops', 'kernel', 'pipeline', 'policies', 'reports', 'schema', 'targets'];

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
  for (const file of sourceFiles()) add(file, readFileSync(join(PACKAGE_ROOT, file)));
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
