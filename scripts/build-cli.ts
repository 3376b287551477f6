// Bundles the CLI into dist/cli/ (npm packages stay external; code a command loads on demand, such as the
// gateway runtime for `serve`, goes in chunks of its own) with the hashes of its sources, which
// bin/modelgate.mjs checks before running it. Saves tsx's start-up (≈0.7 s) on every command.
// Usage: npx tsx scripts/build-cli.ts [--out-root DIR]
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { BUNDLE_DIR, BUNDLE_ENTRY, INPUTS_FILE, contentHash } from '../bin/cli-bundle.mjs';
import { PACKAGE_ROOT } from '../schema/package-root.ts';

/** Writes the bundle and its inputs under `outRoot` (the package root by default). */
export async function buildCli(outRoot: string = PACKAGE_ROOT): Promise<void> {
  const result = await build({
    // The parser threads of compiler/load/parse-files.ts run their own entry, found beside the bundle.
    entryPoints: { [basename(BUNDLE_ENTRY, '.mjs')]: 'compiler/cli/main.ts', 'parse-worker': 'compiler/load/parse-worker.ts' },
    outdir: BUNDLE_DIR,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    absWorkingDir: PACKAGE_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    write: false,
    logLevel: 'warning',
    banner: { js: '// modelgate CLI, bundled by scripts/build-cli.ts from the sources listed in modelgate.inputs.json' },
  });
  const inputs = Object.fromEntries(
    Object.keys(result.metafile.inputs)
      .sort()
      .map((file) => [file, contentHash(readFileSync(join(PACKAGE_ROOT, file)))]),
  );
  // The bundle replaces the old one as a whole, and the inputs file comes last: a half-written bundle is never
  // taken for a fresh one.
  const dir = join(outRoot, BUNDLE_DIR);
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  for (const file of result.outputFiles) {
    const target = join(staging, file.path.slice(join(PACKAGE_ROOT, BUNDLE_DIR).length));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
  }
  rmSync(join(outRoot, INPUTS_FILE), { force: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  const inputsTmp = `${join(outRoot, INPUTS_FILE)}.${process.pid}.tmp`;
  writeFileSync(inputsTmp, `${JSON.stringify(inputs, null, 2)}\n`);
  renameSync(inputsTmp, join(outRoot, INPUTS_FILE));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { values } = parseArgs({ options: { 'out-root': { type: 'string' } } });
  await buildCli(values['out-root']);
}
