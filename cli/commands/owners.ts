// `modelgate owners`: writes the modelgate section of CODEOWNERS from the resources' team and owner labels, so
// that GitLab (Premium) asks each file's owners for approval; `validate` says when it is stale.
import { relative } from 'node:path';
import { type Command, Option } from 'commander';
import { writeCodeowners } from '../../gitops/owners/codeowners-file.ts';
import { compileProject } from '../../pipeline/compile.ts';
import { setExitCode } from '../command.ts';
import { EXIT_OK, UsageError } from '../exit-codes.ts';
import { addProjectOptions, checkedRoot } from '../project-options.ts';

export function register(program: Command): void {
  addProjectOptions(
    program
      .command('owners')
      .description("write the modelgate section of CODEOWNERS from the resources' team and owner labels")
      .addOption(
        new Option(
          '--team-group <pattern>',
          'GitLab group of a team, {team} replaced by its label (e.g. acme/teams/{team}); without it only owner labels are listed',
        ).env('MODELGATE_TEAM_GROUP'),
      )
      .option('--approvals <n>', "approvals the section requires: GitLab's [modelgate][n]", (v) => approvals(v), 1)
      .addHelpText(
        'after',
        `
Examples:
  $ modelgate owners --team-group 'acme/teams/{team}' --approvals 2
  $ git add CODEOWNERS && git commit -m "CODEOWNERS from the ownership labels"

Each config file gets a line with the GitLab group of every team label in it and every owner label:
  /routes/chat-default.yaml @acme/teams/platform @dana.kim
The section keeps the options it was made with; validate reports codeowners-stale when the labels change.
GitLab reads CODEOWNERS from the repository root, docs/ or .gitlab/ (the first found is written).`,
      ),
  ).action((dir: string, opts: { teamGroup?: string; approvals: number; maxFileBytes: number }, command: Command) => {
    if (opts.teamGroup !== undefined && !opts.teamGroup.includes('{team}'))
      throw new UsageError(`--team-group ${opts.teamGroup}: name the team's place with {team}.`);
    const root = checkedRoot(dir);
    const { resources } = compileProject(root, { maxFileBytes: opts.maxFileBytes });
    const { file, changed } = writeCodeowners(root, resources, {
      approvals: opts.approvals,
      ...(opts.teamGroup ? { teamGroup: opts.teamGroup } : {}),
    });
    process.stderr.write(`modelgate: ${relative(process.cwd(), file) || file} ${changed ? 'written' : 'already up to date'}.\n`);
    setExitCode(command, EXIT_OK);
  });
}

function approvals(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--approvals needs a whole number of at least 1, got "${value}".`);
  return n;
}
