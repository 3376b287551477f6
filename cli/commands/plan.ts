// `modelgate plan`: what a change does to each environment, against a git revision or a directory; can keep
// a sticky note on the merge request and write GitLab's Terraform report.
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { CACHE_DIR_VARIABLE, DEFAULT_CACHE_DIR, openCache } from '../../gitops/cache/location.ts';
import { GitLabError, mergeRequestContext, type MergeRequestContext } from '../../gitops/gitlab/merge-request.ts';
import { terraformReport } from '../../gitops/gitlab/terraform-report.ts';
import { computePlan } from '../../gitops/plan/compute.ts';
import { failedPlan, hasChanges } from '../../gitops/plan/plan.ts';
import { renderEnvironmentMarkdown, renderPlanMarkdown } from '../../gitops/plan/render-markdown.ts';
import { renderPlanJson } from '../../gitops/plan/render-json.ts';
import { renderPlanText } from '../../gitops/plan/render-text.ts';
import type { Plan } from '../../gitops/plan/types.ts';
import { savePlan } from '../../gitops/saved-plan/manifest.ts';
import { useColor, writeReport } from '../../reports/formats/index.ts';
import { setExitCode } from '../command.ts';
import { UsageError } from '../exit-codes.ts';
import { addProjectOptions, checkedRoot } from '../project-options.ts';

/**
 * Exit codes of `plan` and `diff`, as decK's `diff --non-zero-exit-code` and Terraform's `-detailed-exitcode`:
 * 0 no changes, 2 changes, 1 anything went wrong. Unlike the other commands, a usage error is 1 here, so that
 * a CI job treating 2 as "changes, fine" never passes on a mistake.
 */
export const PLAN_NO_CHANGES = 0;
export const PLAN_ERRORS = 1;
export const PLAN_CHANGES = 2;

/** Runs a plan-like command: every failure, even a bug, is reported and exits 1, never 2. */
export async function withChangeExitCodes(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UsageError || error instanceof GitLabError) process.stderr.write(`modelgate: ${error.message}\n`);
    else
      process.stderr.write(
        `modelgate: internal error: ${(error as Error)?.stack ?? String(error)}\nThis is a bug in modelgate, not in your config.\n`,
      );
    return PLAN_ERRORS;
  }
}

interface PlanOptions {
  base: string;
  env: string;
  format: 'text' | 'json' | 'markdown';
  comment?: boolean;
  terraformReport?: string;
  maxFileBytes: number;
  /** False with --no-cache. */
  cache: boolean;
  cacheDir?: string;
  save?: string;
}

export function register(program: Command): void {
  addProjectOptions(
    program
      .command('plan')
      .description('show what a change does to each environment: resources, artifacts and policy findings')
      .requiredOption('-b, --base <ref|dir>', 'what to compare with: a git revision of this repo, a config directory, or a build directory')
      .option('-e, --env <name>', 'environment to plan, or "all"', 'all')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
      .option('--comment', 'create or update one merge request note per environment (GitLab CI; token in MODELGATE_GITLAB_TOKEN)')
      .option('--terraform-report <file>', 'write GitLab\'s Terraform report ({"create","update","delete"}) for the MR widget')
      .option(
        '--cache-dir <dir>',
        `where parse results and compiled bases are kept between runs (default: $${CACHE_DIR_VARIABLE}, else ${DEFAULT_CACHE_DIR} in the config root)`,
      )
      .option('--no-cache', 'neither read nor write the cache')
      .option(
        '--save <dir>',
        'write the built artifacts of each environment and a manifest of their sha256 hashes to <dir>/<env>/ (what deploy verifies)',
      )
      .addHelpText(
        'after',
        `
Examples:
  $ modelgate plan --base main --env prod
  $ modelgate plan config/ --base "$CI_MERGE_REQUEST_DIFF_BASE_SHA" --env prod --comment --terraform-report plan.json
  $ modelgate plan --base out/ --env prod             # against the output of an earlier modelgate build
  $ modelgate plan --base main --env prod --no-cache  # compute both sides from scratch
  $ modelgate plan --base main --env prod --save modelgate-plan   # then: modelgate verify-plan modelgate-plan/prod

The cache holds what the config repo holds (parsed values, findings, artifacts): keep it where the repo may be.
Delete the folder to clear it; it prunes itself past 512 MB.

Exit codes (as decK's diff --non-zero-exit-code and Terraform's -detailed-exitcode):
  0 no changes, 2 changes, 1 errors (in the config, the base, or posting the note).`,
      ),
  ).action(async (dir: string, opts: PlanOptions, command: Command) => {
    setExitCode(command, await withChangeExitCodes(() => runPlan(dir, opts)));
  });
}

async function runPlan(dir: string, opts: PlanOptions): Promise<number> {
  // Read the CI variables first: a job that cannot post should fail before the work, not after.
  const context = opts.comment ? mergeRequestContext(process.env) : undefined;
  const root = checkedRoot(dir);
  const cache = openCache(root, { enabled: opts.cache, dir: opts.cacheDir }, (message) => process.stderr.write(`modelgate: ${message}\n`));
  let plan: Plan;
  try {
    plan = await computePlan({
      root,
      base: opts.base,
      env: opts.env,
      maxFileBytes: opts.maxFileBytes,
      cache,
      keepArtifacts: Boolean(opts.save),
    });
  } catch (error) {
    // A plan that cannot be made (no such base, an undeclared environment) says so in the note too.
    if (context && opts.env !== 'all' && error instanceof UsageError)
      await postNotes(context, { environments: [failedPlan(opts.env, opts.base, error.message)] });
    throw error;
  }
  if (cache?.written) cache.prune();
  if (opts.save) save(opts.save, plan);
  process.stdout.write(render(plan, opts.format));
  if (opts.terraformReport) writeReport(opts.terraformReport, `${JSON.stringify(terraformReport(plan.environments))}\n`);
  if (context) await postNotes(context, plan);
  if (plan.environments.some((e) => e.errors.length > 0)) return PLAN_ERRORS;
  return plan.environments.some(hasChanges) ? PLAN_CHANGES : PLAN_NO_CHANGES;
}

/** Each environment's artifacts and manifest under `<dir>/<env>/`; one with errors has none to save. */
function save(dir: string, plan: Plan): void {
  for (const env of plan.environments) {
    const files = plan.built?.[env.environment];
    if (files) env.saved = savePlan(join(dir, env.environment), env.environment, files);
    else process.stderr.write(`modelgate: ${env.environment} not saved: it does not build.\n`);
  }
}

async function postNotes(context: MergeRequestContext, plan: Plan): Promise<void> {
  // Loaded here: the GitLab client costs a third of a second at start-up, and most runs post nothing.
  const { gitlabClient, upsertPlanNote } = await import('../../gitops/gitlab/plan-note.ts');
  const api = gitlabClient(context);
  for (const env of plan.environments) {
    const note = await upsertPlanNote(api, context, env.environment, renderEnvironmentMarkdown(env));
    process.stderr.write(`modelgate: plan note for ${note.environment} ${note.action} (note ${note.noteId}).\n`);
  }
}

function render(plan: Plan, format: PlanOptions['format']): string {
  if (format === 'json') return renderPlanJson(plan);
  if (format === 'markdown') return renderPlanMarkdown(plan);
  return renderPlanText(plan, { color: useColor(process.stdout) });
}
