// The package as `npm pack` makes it (dist/ is prebuilt by the suite's global setup, so no script runs), and
// installed from that tarball into a clean folder as a user or a CI job installs it: no dev dependencies.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../schema/package-root.ts';

export interface Tarball {
  path: string;
  /** Paths inside the package, as `npm pack --json` lists them. */
  files: string[];
}

export function packTarball(destination: string): Tarball {
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [packed] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  return { path: join(destination, packed!.filename), files: packed!.files.map((f) => f.path) };
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
