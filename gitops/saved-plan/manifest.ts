// A saved plan: the artifacts a reviewed plan built, as files (`<target>/<path>`, the layout of
// `modelgate build --out`), and a manifest of their sha256 hashes. The manifest's own sha256 names the plan:
// the merge request note shows it, and deploy checks the saved files against it and against a fresh build.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { UsageError } from '../../kernel/errors.ts';

export const MANIFEST_FILE = 'modelgate-manifest.json';
const MANIFEST_VERSION = 1;

export interface Manifest {
  manifestVersion: typeof MANIFEST_VERSION;
  environment: string;
  /** `<target>/<path>` -> `sha256:<hex>` of the file's bytes, sorted by path. */
  files: Record<string, string>;
}

export interface SavedPlan {
  /** `sha256:<hex>` of the manifest file's bytes. */
  manifest: string;
  files: number;
}

export function sha256(bytes: string | Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function manifestOf(environment: string, files: Record<string, string | Buffer>): Manifest {
  const sorted = Object.keys(files).sort();
  return { manifestVersion: MANIFEST_VERSION, environment, files: Object.fromEntries(sorted.map((path) => [path, sha256(files[path]!)])) };
}

export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Writes `<target>/<path>` files into `dir`, replacing what the targets' folders held before. */
export function writeArtifacts(dir: string, targets: readonly string[], files: Record<string, string>): void {
  for (const target of targets) rmSync(join(dir, target), { recursive: true, force: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** Writes the artifacts and their manifest into `dir`. */
export function savePlan(dir: string, environment: string, files: Record<string, string>): SavedPlan {
  writeArtifacts(dir, [...new Set(Object.keys(files).map((path) => path.split('/')[0]!))], files);
  const text = manifestText(manifestOf(environment, files));
  writeFileSync(join(dir, MANIFEST_FILE), text);
  return { manifest: sha256(text), files: Object.keys(files).length };
}

/** The manifest of a saved plan, its hash, and the bytes of every file beside it. */
export function readSavedPlan(dir: string): { manifest: Manifest; hash: string; files: Record<string, Buffer> } {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file))
    throw new UsageError(`${dir} holds no saved plan: ${MANIFEST_FILE} is missing (write one with plan --save or build --manifest).`);
  const text = readFileSync(file);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text.toString('utf8')) as Manifest;
  } catch {
    throw new UsageError(`${file} is not JSON.`);
  }
  if (
    manifest?.manifestVersion !== MANIFEST_VERSION ||
    typeof manifest.environment !== 'string' ||
    typeof manifest.files !== 'object' ||
    manifest.files === null
  ) {
    throw new UsageError(`${file} is not a modelgate manifest (manifestVersion ${MANIFEST_VERSION}).`);
  }
  return { manifest, hash: sha256(text), files: filesUnder(dir) };
}

function filesUnder(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, entry);
    const key = relative(dir, path).split(sep).join('/');
    if (key !== MANIFEST_FILE && statSync(path).isFile()) files[key] = readFileSync(path);
  }
  return files;
}
