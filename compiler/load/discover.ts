// Finds the YAML files of a config repo: every *.yaml / *.yml under the root, minus `.modelgateignore`.
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';
import type { Diagnostic } from '../../kernel/diagnostics.ts';

/** Files the loader never reads: tool configs that live beside the resources. */
const RESERVED_FILES = new Set(['modelgate.config.yaml', 'modelgate.config.yml']);
const SKIPPED_DIRS = new Set(['node_modules']);

export interface DiscoveredFile {
  /** Relative to the root, POSIX separators. */
  path: string;
  absolute: string;
  size: number;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function isInside(real: string, realRoot: string): boolean {
  return real === realRoot || real.startsWith(realRoot + sep);
}

/** The finding for a symbolic link at `rel` (relative to the root) that leads outside the root. */
export function escapesRoot(rel: string): Diagnostic {
  return {
    ruleId: 'path-escapes-root',
    severity: 'error',
    message: `${rel} is a symbolic link to a path outside the config root; it was not read.`,
    hint: 'Copy the file into the repo, or remove the link.',
    file: rel,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
  };
}

function readIgnore(root: string, realRoot: string, diagnostics: Diagnostic[]): (path: string) => boolean {
  const file = join(root, '.modelgateignore');
  let text: string;
  try {
    if (!isInside(realpathSync(file), realRoot)) {
      diagnostics.push(escapesRoot('.modelgateignore'));
      return () => false;
    }
    text = readFileSync(file, 'utf8');
  } catch {
    return () => false;
  }
  const patterns = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    // gitignore-style: a bare name matches at any depth, a trailing slash means a folder.
    .flatMap((p) => {
      const anchored = p.startsWith('/') ? p.slice(1) : p.includes('/') && !p.endsWith('/') ? p : `**/${p}`;
      const base = anchored.replace(/\/$/, '');
      return [base, `${base}/**`];
    });
  const isMatch = picomatch(patterns, { dot: true });
  return (path) => isMatch(path);
}

/**
 * Walks `root` in sorted order. Dot-files and dot-folders (`.git`, `.gitlab-ci.yml`) are not config.
 * Symlinks are followed only when they stay inside the root.
 */
export function discoverFiles(root: string): { files: DiscoveredFile[]; diagnostics: Diagnostic[] } {
  const files: DiscoveredFile[] = [];
  const diagnostics: Diagnostic[] = [];
  const realRoot = realpathSync(root);
  const ignored = readIgnore(root, realRoot, diagnostics);

  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
      if (dir === root && RESERVED_FILES.has(entry.name)) continue; // read (and checked) by their own loaders
      const absolute = join(dir, entry.name);
      const rel = toPosix(relative(root, absolute));
      if (ignored(rel)) continue;
      let stat = lstatSync(absolute);
      if (stat.isSymbolicLink()) {
        let target: string;
        try {
          target = realpathSync(absolute);
        } catch {
          continue; // dangling link: nothing to read
        }
        if (!isInside(target, realRoot)) {
          if (/\.ya?ml$/i.test(entry.name) || statSync(absolute).isDirectory()) diagnostics.push(escapesRoot(rel));
          continue;
        }
        stat = statSync(absolute);
        if (stat.isDirectory()) continue; // links to folders inside the root would be read twice
      }
      if (stat.isDirectory()) walk(absolute);
      else if (stat.isFile() && /\.ya?ml$/i.test(entry.name)) {
        files.push({ path: rel, absolute, size: stat.size });
      }
    }
  };
  walk(root);
  return { files, diagnostics };
}
