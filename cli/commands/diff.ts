// `modelgate diff`: drift between what a build of one environment would write and what is deployed.
import { type Command, Option } from 'commander';
import { TARGET_NAMES } from '../../targets/registry.ts';
import type { TargetName } from '../../targets/target.ts';
import { checkDrift } from '../../gitops/drift/check.ts';
import { renderDriftJson, renderDriftText } from '../../gitops/drift/render.ts';
import { setExitCode } from '../command.ts';
import { addProjectOptions, checkedRoot } from '../project-options.ts';
import { PLAN_CHANGES, PLAN_ERRORS, PLAN_NO_CHANGES, withChangeExitCodes } from './plan.ts';

interface DiffOptions {
  env: string;
  against: string;
  target?: TargetName;
  format: 'text' | 'json';
  maxFileBytes: number;
}

export function register(program: Command): void {
  addProjectOptions(
    program
      .command('diff')
      .description('check for drift: compare what a build would write with what is deployed')
      .requiredOption('-e, --env <name>', 'environment to build')
      .requiredOption(
        '--against <dir>',
        'deployed artifacts: a `modelgate build --out` layout, a deploy repo, or a `kubectl get -o yaml` dump (with --target k8s)',
      )
      .addOption(new Option('-t, --target <name>', 'the one target whose files <dir> holds directly').choices([...TARGET_NAMES]))
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
      .addHelpText(
        'after',
        `
Examples:
  $ modelgate diff --env prod --against deploy-repo/prod
  $ kubectl get deploy,svc,cm,hpa,pdb,networkpolicy -n ai-gateway -o yaml > live/k8s.yaml
  $ modelgate diff --env prod --against live --target k8s

Kubernetes objects are compared by kind/namespace/name on the fields the build sets; what the cluster adds
(status, defaults, annotations) is not drift.

Exit codes (as plan): 0 no drift, 2 drift, 1 errors.`,
      ),
  ).action(async (dir: string, opts: DiffOptions, command: Command) => {
    const code = await withChangeExitCodes(async () => {
      const result = await checkDrift({
        root: checkedRoot(dir),
        env: opts.env,
        against: opts.against,
        target: opts.target,
        maxFileBytes: opts.maxFileBytes,
      });
      process.stdout.write(opts.format === 'json' ? renderDriftJson(result) : renderDriftText(result));
      return result.errors.length > 0 ? PLAN_ERRORS : result.items.length > 0 ? PLAN_CHANGES : PLAN_NO_CHANGES;
    });
    setExitCode(command, code);
  });
}
