// Prebuilds the CLI and gateway bundles once before the suite when missing or stale, so the tests that start
// `bin/modelgate.mjs` as a process run the bundle users get from `npm ci`, not the tsx fallback.
import { GATEWAY_INPUTS_FILE, freshBundle, isFresh } from '../bin/prebuilt.mjs';
import { PACKAGE_ROOT } from '../schema/package-root.ts';
import { buildCli } from '../scripts/build-cli.ts';

export default async function setup(): Promise<void> {
  if (!freshBundle(PACKAGE_ROOT) || !isFresh(PACKAGE_ROOT, GATEWAY_INPUTS_FILE)) await buildCli();
}
