// Prebuilds the CLI and gateway bundles and the kinds' validators once before the suite when missing or stale,
// so the tests that start `bin/modelgate.mjs` as a process run what users get from `npm ci`, not the fallbacks.
import { GATEWAY_INPUTS_FILE, VALIDATORS_INPUTS_FILE, freshBundle, isFresh } from '../kernel/prebuilt.mjs';
import { PACKAGE_ROOT } from '../schema/package-root.ts';
import { buildCli } from '../scripts/build-cli.ts';

export default async function setup(): Promise<void> {
  const stale = (inputs: string): boolean => !isFresh(PACKAGE_ROOT, inputs);
  if (!freshBundle(PACKAGE_ROOT) || stale(GATEWAY_INPUTS_FILE) || stale(VALIDATORS_INPUTS_FILE)) await buildCli();
}
