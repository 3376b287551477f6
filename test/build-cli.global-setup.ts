// Prebuilds the CLI and gateway bundles and the kinds' validators once before the suite when missing or stale,
// so the tests that start `bin/modelgate.mjs` as a process run what users get from `npm ci`, not the fallbacks;
// and gives the run a folder for the one tarball the files that install the package share.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { GATEWAY_INPUTS_FILE, VALIDATORS_INPUTS_FILE, freshBundle, isFresh } from '../kernel/prebuilt.mjs';
import { PACKAGE_ROOT } from '../schema/package-root.ts';
import { buildCli } from '../scripts/build-cli.ts';

export default async function setup(project: TestProject): Promise<() => void> {
  const stale = (inputs: string): boolean => !isFresh(PACKAGE_ROOT, inputs);
  if (!freshBundle(PACKAGE_ROOT) || stale(GATEWAY_INPUTS_FILE) || stale(VALIDATORS_INPUTS_FILE)) await buildCli();
  // Only a folder: the files that need the package's tarball pack it there once, on first request (runTarball).
  const packDir = mkdtempSync(join(tmpdir(), 'mg-pack-'));
  project.provide('packDir', packDir);
  return () => rmSync(packDir, { recursive: true, force: true });
}
