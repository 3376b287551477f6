// `modelgate build`: compile one environment and write every target's artifacts; refuses on errors.
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { TARGET_NAMES } from '../../targets/registry.ts';
import type { TargetName } from '../../targets/target.ts';
import { buildArtifacts, type Artifacts } from '../../pipeline/build-artifacts.ts';
import { hasErrors, type Diagnostic } from '../../kernel/diagnostics.ts';
import { compileProject } from '../../pipeline/compile.ts';
import { emitReport } from '../../reports/formats/index.ts';
import { setExitCode } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../exit-codes.ts';
import { addProjectOptions, checkedRoot, singleEnvironment } from '../project-options.ts';
import { savePlan, writeArtifacts } from '../../gitops/saved-plan/manifest.ts';

export function register(program: Command): void {
  addProjectOptions(
    program
      .command('build')
      .description('emit deployable artifacts for one environment (node gateway, Envoy, Kubernetes, Envoy AI Gateway)')
      .requiredOption('-e, --env <name>', 'environment to build')
      .addOption(new Option('-t, --target <names>', `comma-separated targets (${TARGET_NAMES.join(', ')})`).default(TARGET_NAMES.join(',')))
      .option('-o, --out <dir>', 'output directory; each target writes <out>/<target>/', 'out')
      .option('--verbose', 'list every feature a target cannot express, not just a count per target')
      .option('--manifest', 'also write modelgate-manifest.json, the sha256 of every file written, for verify-plan')
      .addHelpText(
        'after',
        `
Examples:
  $ modelgate build fixtures/acme --env prod --out out
  $ modelgate build . --env staging --target node,k8s --out dist/staging
  $ modelgate build . --env prod --out modelgate-plan/prod --manifest && modelgate verify-plan modelgate-plan/prod`,
      ),
  ).action(
    async (
      dir: string,
      opts: { env: string; target: string; out: string; maxFileBytes: number; verbose?: boolean; manifest?: boolean },
      command: Command,
    ) => {
      const targets = parseTargets(opts.target);
      const result = compileProject(checkedRoot(dir), { env: opts.env, maxFileBytes: opts.maxFileBytes });
      const env = singleEnvironment(result, opts.env);
      if (hasErrors(result.diagnostics) || !env?.ir) {
        emitReport(result.diagnostics, { format: 'text', root: dir, filesChecked: result.files.map((f) => f.path) });
        process.stderr.write('modelgate: build refused: fix the errors above first.\n');
        return setExitCode(command, EXIT_FINDINGS);
      }
      const artifacts = await buildArtifacts(env, targets);
      const diagnostics = [...result.diagnostics, ...artifacts.diagnostics];
      if (hasErrors(diagnostics)) {
        emitReport(diagnostics, { format: 'text', root: dir, filesChecked: result.files.map((f) => f.path) });
        process.stderr.write('modelgate: build refused: the config cannot be expressed by a chosen target.\n');
        return setExitCode(command, EXIT_FINDINGS);
      }
      const out = resolve(opts.out);
      if (opts.manifest) savePlan(out, env.environment.name, artifacts.files);
      else writeArtifacts(out, targets, artifacts.files);
      const listed = opts.verbose ? diagnostics : diagnostics.filter((d) => !isTargetLimit(d));
      if (listed.length) emitReport(listed, { format: 'text', root: dir, filesChecked: result.files.map((f) => f.path) });
      if (!opts.verbose) for (const line of summarizeTargetLimits(artifacts.byTarget)) process.stdout.write(`${line}\n`);
      const count = Object.keys(artifacts.files).length;
      process.stdout.write(`Built ${env.environment.name}: ${count} files for ${targets.join(', ')} in ${opts.out}\n`);
      setExitCode(command, EXIT_OK);
    },
  );
}

/** Warnings about what a target cannot express are many and alike: by default they are counted, not listed. */
const isTargetLimit = (d: Diagnostic): boolean => d.severity !== 'error' && d.ruleId.startsWith('target-');

function summarizeTargetLimits(byTarget: Artifacts['byTarget']): string[] {
  return Object.entries(byTarget)
    .map(([target, found]) => [target, found!.filter(isTargetLimit).length] as const)
    .filter(([, n]) => n > 0)
    .map(
      ([target, n]) =>
        `note: ${target} cannot fully express ${n} configured feature${n === 1 ? '' : 's'} (--verbose lists them; docs/targets.md explains).`,
    );
}

function parseTargets(list: string): TargetName[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!(TARGET_NAMES as readonly string[]).includes(n))
      throw new UsageError(`unknown target "${n}". Targets: ${TARGET_NAMES.join(', ')}.`);
  }
  if (!names.length) throw new UsageError('--target needs at least one target.');
  return [...new Set(names)] as TargetName[];
}
