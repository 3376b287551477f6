// Both sides of the compiler bench run as bundled JavaScript, so neither pays tsx's start-up: the CLI as
// `npm ci` builds it (dist/cli, rebuilt here when the sources changed), the floor bundled the same way.
import { join } from 'node:path';
import { build } from 'esbuild';
import { freshBundle } from '../../kernel/prebuilt.mjs';
import { PACKAGE_ROOT } from '../../schema/package-root.ts';
import { buildCli } from '../../scripts/build-cli.ts';

/** Under node_modules, so that the floor's npm imports resolve as the CLI's do. */
const FLOOR_BUNDLE = join(PACKAGE_ROOT, 'node_modules/.cache/modelgate-bench/floor.mjs');

/** Makes sure `bin/modelgate.mjs` runs the bundle, and returns the bundled floor's path. */
export async function prepareBundles(): Promise<{ floor: string }> {
  if (!freshBundle(PACKAGE_ROOT)) await buildCli();
  await build({
    entryPoints: [join(PACKAGE_ROOT, 'bench/floor.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: FLOOR_BUNDLE,
    logLevel: 'warning',
  });
  return { floor: FLOOR_BUNDLE };
}
