// Prebuilds what would otherwise be built on every run (npm ci runs it through `prepare`), each with the records
// of its sources (hashes, sizes and times), which kernel/prebuilt.mjs checks before it is used:
// - the CLI, bundled into dist/cli/ (npm packages stay external; code a command loads on demand, such as the
//   gateway runtime for `serve`, goes in chunks of its own): saves tsx's start-up (≈0.7 s) on every command;
// - the kinds' schemas compiled by ajv as standalone code: saves ≈0.4 s of ajv on every command that validates;
// - the Node gateway's runtime, bundled as `modelgate build` would: saves esbuild's ≈0.5 s on every build.
// Usage: npx tsx scripts/build-cli.ts [--out-root DIR]
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { commandLine } from '../bench/lib/args.ts';
import { build } from 'esbuild';
import {
  BUNDLE_DIR,
  BUNDLE_ENTRY,
  GATEWAY_BUNDLE,
  GATEWAY_INPUTS_FILE,
  INPUTS_FILE,
  VALIDATORS_INPUTS_FILE,
  VALIDATORS_MODULE,
  inputRecord,
} from '../kernel/prebuilt.mjs';
import { VALIDATOR_INPUTS, kindValidatorsSource } from '../compiler/validate/kind-validators.ts';
import { PACKAGE_ROOT } from '../schema/package-root.ts';
import { buildGatewayBundle } from '../targets/node/bundle.ts';

/** Writes the two bundles and the validators, each with its inputs, under `outRoot` (the package root by default). */
export async function buildCli(outRoot: string = PACKAGE_ROOT): Promise<void> {
  const result = await build({
    // The parser threads of compiler/load/parse-files.ts and the target builder of pipeline/target-threads.ts run
    // their own entries, found beside the bundle.
    entryPoints: {
      [basename(BUNDLE_ENTRY, '.mjs')]: 'cli/main.ts',
      'parse-worker': 'compiler/load/parse-worker.ts',
      'build-worker': 'pipeline/build-worker.ts',
    },
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
  const files = result.outputFiles.map((f) => ({ path: f.path.slice(join(PACKAGE_ROOT, BUNDLE_DIR).length + 1), contents: f.contents }));
  publish(outRoot, BUNDLE_DIR, files, INPUTS_FILE, Object.keys(result.metafile.inputs));
  const gateway = await buildGatewayBundle();
  publish(
    outRoot,
    dirname(GATEWAY_BUNDLE),
    [{ path: basename(GATEWAY_BUNDLE), contents: gateway.text }],
    GATEWAY_INPUTS_FILE,
    gateway.inputs,
  );
  const validators = [{ path: basename(VALIDATORS_MODULE), contents: kindValidatorsSource() }];
  publish(outRoot, dirname(VALIDATORS_MODULE), validators, VALIDATORS_INPUTS_FILE, [...VALIDATOR_INPUTS]);
}

/**
 * Replaces `dir` as a whole, then writes the inputs file: it is removed first and written last, so a
 * half-written bundle is never taken for a fresh one.
 */
function publish(
  outRoot: string,
  dir: string,
  files: { path: string; contents: string | Uint8Array }[],
  inputsFile: string,
  inputs: string[],
): void {
  const hashedAt = Date.now();
  const records = Object.fromEntries(inputs.sort().map((file) => [file, inputRecord(join(PACKAGE_ROOT, file), hashedAt)]));
  const target = join(outRoot, dir);
  const staging = `${target}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  for (const file of files) {
    mkdirSync(dirname(join(staging, file.path)), { recursive: true });
    writeFileSync(join(staging, file.path), file.contents);
  }
  rmSync(join(outRoot, inputsFile), { force: true });
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  const inputsTmp = `${join(outRoot, inputsFile)}.${process.pid}.tmp`;
  writeFileSync(inputsTmp, `${JSON.stringify(records, null, 2)}\n`);
  renameSync(inputsTmp, join(outRoot, inputsFile));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { values } = commandLine({
    script: 'scripts/build-cli.ts',
    summary: 'Prebuilds the CLI bundle, the standalone schema validators and the gateway runtime, with their source records.',
    options: { 'out-root': { type: 'string', value: 'DIR', description: 'the folder to write them under (default this checkout)' } },
  });
  await buildCli(values['out-root']);
}
