// The package as `npm pack` makes it (dist/ is prebuilt by the suite's global setup, so no script runs), and
// installed from that tarball into a clean folder as a user or a CI job installs it: no dev dependencies.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inject } from 'vitest';
import { PACKAGE_ROOT } from '../../schema/package-root.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An empty folder of this run's, where the first file that needs the tarball packs it (see runTarball). */
    packDir: string;
  }
}

export interface Tarball {
  path: string;
  /** Paths inside the package, as `npm pack --json` lists them. */
  files: string[];
}

function packTarball(destination: string): Tarball {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [packed] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  return { path: join(destination, packed!.filename), files: packed!.files.map((f) => f.path) };
}

/** How long a file waits for another file's `npm pack` (≈2.5 s of CPU, longer on a busy machine). */
const PACK_WAIT_MS = 120_000;

/**
 * The tarball of this run, packed once by the first file that asks (`npm pack` costs ≈2.5 s of CPU) and read by the
 * others, in any worker: the first to create `claim` packs and then renames its outcome into place; the others
 * wait for that file. A run whose files need no tarball (the hardening project) packs nothing.
 */
export async function runTarball(): Promise<Tarball> {
  const dir = inject('packDir');
  const outcome = join(dir, 'tarball.json');
  try {
    mkdirSync(join(dir, 'claim'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return awaitTarball(outcome);
  }
  let result: { tarball: Tarball } | { error: string };
  try {
    result = { tarball: packTarball(dir) };
  } catch (err) {
    result = { error: String(err) };
  }
  // Written whole under another name first, so a waiting file never reads half of it.
  writeFileSync(`${outcome}.tmp`, JSON.stringify(result));
  renameSync(`${outcome}.tmp`, outcome);
  if ('error' in result) throw new Error(result.error);
  return result.tarball;
}

async function awaitTarball(outcome: string): Promise<Tarball> {
  for (const start = Date.now(); !existsSync(outcome); await sleep(100)) {
    if (Date.now() - start > PACK_WAIT_MS) throw new Error(`no tarball after ${PACK_WAIT_MS} ms: the file packing it stopped`);
  }
  const result = JSON.parse(readFileSync(outcome, 'utf8')) as { tarball: Tarball } | { error: string };
  if ('error' in result) throw new Error(`npm pack failed in another test file: ${result.error}`);
  return result.tarball;
}

/**
 * Installs the tarball into `dir` and returns the path of its `modelgate` executable. The npm cache is used
 * first (`--prefer-offline`); what it lacks comes from the registry, as in CI.
 */
export function installTarball(tarball: string, dir: string): string {
  writeFileSync(join(dir, 'package.json'), '{ "name": "modelgate-install-check", "private": true }\n');
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', '--loglevel=error', tarball], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 240_000,
  });
  return join(dir, 'node_modules/.bin/modelgate');
}
