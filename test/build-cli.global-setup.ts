// Bundles the CLI once before the suite when the bundle is missing or stale, so the tests that start
// `bin/modelgate.mjs` as a process run the bundle users get from `npm ci`, not the tsx fallback.
import { freshBundle } from '../bin/cli-bundle.mjs';
import { PACKAGE_ROOT } from '../schema/package-root.ts';
import { buildCli } from '../scripts/build-cli.ts';

export default async function setup(): Promise<void> {
  if (!freshBundle(PACKAGE_ROOT)) await buildCli();
}
