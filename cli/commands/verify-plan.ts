// `modelgate verify-plan DIR`: before a deploy applies a saved plan, checks that its files are the ones its
// manifest names and that a fresh build of this commit writes exactly them; refuses otherwise.
import type { Command } from 'commander';
import { GitLabError, projectContext } from '../../gitops/gitlab/merge-request.ts';
import { readSavedPlan } from '../../gitops/saved-plan/manifest.ts';
import { isVerified, verifySavedPlan, type Difference, type Verification } from '../../gitops/saved-plan/verify.ts';
import { setExitCode } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.ts';
import { addProjectOptions, checkedRoot } from '../project-options.ts';

export function register(program: Command): void {
  addProjectOptions(
    program
      .command('verify-plan')
      .description(
        'check a saved plan (plan --save, build --manifest) against its manifest and a fresh build of this commit, before deploying it',
      )
      .argument('<saved>', 'the saved plan of one environment: artifacts and modelgate-manifest.json')
      .option('--expect <sha256>', 'the manifest hash the plan must have, e.g. the one the merge request note showed')
      .option(
        '--reviewed',
        'expect the manifest hash of the plan note of the merge request that merged CI_COMMIT_SHA (GitLab CI, MODELGATE_GITLAB_TOKEN)',
      )
      .addHelpText(
        'after',
        `
Examples:
  $ modelgate verify-plan .modelgate/plan/prod                 # the config root is the working directory
  $ modelgate verify-plan .modelgate/plan/prod config --expect "sha256:<the hash in the plan note>"
  $ modelgate verify-plan .modelgate/plan/prod --reviewed      # the hash of the note, found through the GitLab API

Exit codes: 0 verified, 1 refused (the saved files or a fresh build differ), 2 usage error.`,
      ),
  ).action(async (saved: string, dir: string, opts: { expect?: string; reviewed?: boolean; maxFileBytes: number }, command: Command) => {
    const expect = opts.reviewed ? await reviewed(saved) : opts.expect;
    const result = await verifySavedPlan({ dir: saved, root: checkedRoot(dir), expect, maxFileBytes: opts.maxFileBytes });
    if (isVerified(result)) {
      process.stdout.write(
        `Verified ${saved}: ${result.files} files of ${result.environment} match manifest ${result.manifest} and a fresh build of this commit.\n`,
      );
      return setExitCode(command, EXIT_OK);
    }
    process.stderr.write(refusal(saved, result));
    setExitCode(command, EXIT_FINDINGS);
  });
}

/** The manifest hash of the note of the merge request that merged this commit, for the saved plan's environment. */
async function reviewed(saved: string): Promise<string> {
  const context = projectContext(process.env, '--reviewed');
  if (!process.env.CI_COMMIT_SHA) throw new GitLabError('--reviewed needs CI_COMMIT_SHA, the commit being deployed.');
  // Loaded here: the GitLab client takes a third of a second to load.
  const { gitlabClient } = await import('../../gitops/gitlab/plan-note.ts');
  const { reviewedManifest } = await import('../../gitops/gitlab/reviewed-plan.ts');
  const found = await reviewedManifest(
    gitlabClient(context),
    context,
    process.env.CI_COMMIT_SHA,
    readSavedPlan(saved).manifest.environment,
  );
  process.stderr.write(`modelgate: merge request !${found.mergeRequestIid} reviewed manifest ${found.manifest}.\n`);
  return found.manifest;
}

function refusal(saved: string, v: Verification): string {
  const lines = [`modelgate: refusing to deploy ${saved} (${v.environment}, manifest ${v.manifest}):`];
  if (v.notExpected) lines.push(`  the manifest is not the one expected (${v.notExpected}): this is not the plan that was reviewed.`);
  if (v.tampered.length > 0)
    lines.push('  the saved files are not those the manifest names (edited after the plan was saved?):', ...v.tampered.map(line));
  if (v.rebuilt.length > 0)
    lines.push(
      '  a fresh build of this commit writes other files than the saved plan (planned from another commit?):',
      ...v.rebuilt.map(line),
    );
  lines.push('Plan again from this commit (modelgate plan --save) and review that plan.');
  return `${lines.join('\n')}\n`;
}

function line(d: Difference): string {
  return `    ${d.problem} ${d.file}`;
}
