// LOG arguments -> readable byte streams: files, globs (also when the shell did not expand them), `-` for
// stdin, and `.gz` files decompressed on the fly.
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import picomatch from 'picomatch';

export interface LogSource {
  /** As shown in reports: the path, or `<stdin>`. */
  name: string;
  open(): Readable;
}

export class LogSourceError extends Error {
  override name = 'LogSourceError';
}

const STDIN = '-';

export function resolveSources(args: readonly string[], stdin: Readable = process.stdin): LogSource[] {
  const paths = new Set<string>();
  const sources: LogSource[] = [];
  for (const arg of args) {
    if (arg === STDIN) {
      sources.push({ name: '<stdin>', open: () => stdin });
      continue;
    }
    const matches = picomatch.scan(arg).isGlob ? expandGlob(arg) : [arg];
    if (matches.length === 0) throw new LogSourceError(`${arg}: no file matches this pattern.`);
    for (const path of matches) {
      if (!existsSync(path)) throw new LogSourceError(`${path}: no such file.`);
      if (!statSync(path).isFile()) throw new LogSourceError(`${path}: not a file.`);
      if (paths.has(path)) continue; // Named twice (a file and a glob): counted once.
      paths.add(path);
      sources.push({ name: path, open: () => openFile(path) });
    }
  }
  return sources;
}

function openFile(path: string): Readable {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  if (!path.endsWith('.gz')) return file;
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  // A missing or unreadable file must surface from the stream the caller reads.
  file.on('error', (error) => gunzip.destroy(error));
  return file.pipe(gunzip);
}

/** Files under the glob's static base that match it, in name order. */
function expandGlob(pattern: string): string[] {
  const normalized = pattern.startsWith('./') ? pattern.slice(2) : pattern;
  const { base, glob } = picomatch.scan(normalized);
  const root = base || '.';
  if (!existsSync(root) || !statSync(root).isDirectory()) return [];
  const isMatch = picomatch(normalized);
  const deep = glob.includes('/') || glob.includes('**');
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (deep) walk(path);
      } else if (isMatch(path)) found.push(path);
    }
  };
  walk(root);
  return found;
}
