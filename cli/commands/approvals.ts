// `modelgate approvals`: who must approve a change (the owners of what it touches, of what an access grant newly
// reaches, and of the rules an exception waives); with --check, fails until each has approved the merge request.
import { type Command, Option } from 'commander';
import { mergeRequestContext } from '../../gitops/gitlab/merge-request.ts';
import { missingApprovals, renderOwed, renderVerdict } from '../../gitops/owners/render.ts';
import { setExitCode } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.ts';
import { addProjectOptions, checkedRoot } from '../project-options.ts';

interface ApprovalsOptions {
  base: string;
  check?: boolean;
  teamGroup?: string;
  maxFileBytes: number;
}

export function register(program: Command): void {
  addProjectOptions(
    program
      .command('approvals')
      .description('list who must approve a change; with --check, fail until each owning team approved the merge request')
      .requiredOption('-b, --base <ref|dir>', 'what the change starts from: a git revision of this repo or a config directory')
      .option('--check', 'ask GitLab who approved the merge request (CI variables and MODELGATE_GITLAB_TOKEN, as plan --comment)')
      .addOption(
        new Option('--team-group <pattern>', 'GitLab group of a team, {team} replaced by its label, whose members approve for it').env(
          'MODELGATE_TEAM_GROUP',
        ),
      )
      .addHelpText(
        'after',
        `
Examples:
  $ modelgate approvals --base main
  $ modelgate approvals . --base "$CI_MERGE_REQUEST_DIFF_BASE_SHA" --check --team-group 'acme/teams/{team}'

A team approves through any member of its GitLab group (--team-group) or any person its resources name in
the owner label. A PolicyException added or edited needs an approval from an owner of the rule it waives
(the Policy's team or owner; the Gateway's for a built-in rule), one of its spec.approvers when it names them.

Exit codes: 0 approved (or, without --check, listed), 1 approvals missing, 2 usage error.`,
      ),
  ).action(async (dir: string, opts: ApprovalsOptions, command: Command) => {
    const context = opts.check ? mergeRequestContext(process.env, 'approvals --check') : undefined;
    // Loaded here, as for plan --comment: the GitLab client takes a third of a second to load.
    const { checkApprovals, isApproved, owedApprovals } = await import('../../gitops/owners/approvals.ts');
    const owed = owedApprovals(checkedRoot(dir), opts.base, opts.maxFileBytes);
    if (!context) {
      process.stdout.write(renderOwed(owed));
      return setExitCode(command, EXIT_OK);
    }
    const { gitlabClient } = await import('../../gitops/gitlab/plan-note.ts');
    const verdict = await checkApprovals(gitlabClient(context), context, owed, { teamGroup: opts.teamGroup });
    process.stdout.write(renderVerdict(verdict));
    if (isApproved(verdict)) return setExitCode(command, EXIT_OK);
    for (const line of missingApprovals(verdict)) process.stderr.write(`modelgate: ${line}.\n`);
    setExitCode(command, EXIT_FINDINGS);
  });
}
