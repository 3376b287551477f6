// The acme fixture as in-memory sources (the seed corpus of the hardening tests), and repos written to disk.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverFiles } from '../../compiler/load/discover.ts';
import type { SourceFile } from '../../compiler/load/load-project.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ACME_ROOT = join(REPO_ROOT, 'fixtures/acme');
export const CLI = join(REPO_ROOT, 'bin/modelgate.mjs');

export const ACME_FILES: readonly SourceFile[] = discoverFiles(ACME_ROOT).files.map((f) => ({
  path: f.path,
  text: readFileSync(f.absolute, 'utf8'),
}));

/** A fresh folder under the system temp dir; callers remove it. */
export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `modelgate-${label}-`));
}

export function writeRepo(root: string, files: readonly SourceFile[]): string {
  for (const f of files) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.text);
  }
  return root;
}

/** `files` with the one at `path` replaced by `text`. */
export function withFile(files: readonly SourceFile[], path: string, text: string): SourceFile[] {
  return files.map((f) => (f.path === path ? { path, text } : f));
}
