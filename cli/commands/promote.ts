// `modelgate promote`: carries the pinned versions of one environment into another's overlay file and
// prints the plan of the destination.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { renderEnvironmentMarkdown } from '../../gitops/plan/render-markdown.ts';
import { renderPlanJson } from '../../gitops/plan/render-json.ts';
import { renderEnvironmentText } from '../../gitops/plan/render-text.ts';
import { promote } from '../../gitops/promote/promote.ts';
import { useColor } from '../../reports/formats/index.ts';
import { setExitCode } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.ts';
import { addProjectOptions, checkedRoot } from '../project-options.ts';

interface PromoteOptions {
  from: string;
  to: string;
  dryRun?: boolean;
  format: 'text' | 'json' | 'markdown';
  maxFileBytes: number;
}

export function register(program: Command): void {
  addProjectOptions(
    program
      .command('promote')
      .description("carry pinned versions (route weights, served prompt versions, model versions) into another environment's overlay")
      .requiredOption('--from <env>', 'environment whose pins are carried, e.g. staging')
      .requiredOption('--to <env>', 'environment whose overlay file is edited, e.g. prod')
      .option('--dry-run', 'print the overlay edit and the plan without writing the file')
      .addOption(new Option('-f, --format <format>', 'format of the plan').choices(['text', 'json', 'markdown']).default('text'))
      .addHelpText(
        'after',
        `
What is carried (from the source's effective config into the destination's overlay):
  Route     spec.targets[].weight     targets only the destination has get weight 0
  Prompt    spec.serve[].weight       versions only the destination serves get weight 0;
            spec.versions.<v>         each version the source serves, when its template differs
  Provider  spec.models[].version     for models both environments declare

Examples:
  $ modelgate promote --from staging --to prod --dry-run
  $ modelgate promote fixtures/acme --from staging --to prod

Exit codes: 0 promoted (or nothing to promote), 1 the promotion would bring new errors (nothing written),
2 usage error.`,
      ),
  ).action(async (dir: string, opts: PromoteOptions, command: Command) => {
    const root = checkedRoot(dir);
    const result = await promote({ root, from: opts.from, to: opts.to, maxFileBytes: opts.maxFileBytes });
    const out = process.stdout;
    if (opts.format === 'json') out.write(renderPlanJson({ environments: [result.plan] }));
    else if (opts.format === 'markdown') out.write(renderEnvironmentMarkdown(result.plan));
    else {
      out.write(result.pins.length === 0 ? `Nothing to promote: ${opts.to} already pins what ${opts.from} pins.\n` : `${result.diff}\n`);
      out.write(renderEnvironmentText(result.plan, { color: useColor(out) }));
    }
    // Errors the destination already had are shown but do not block: only those the promotion brings.
    const introduced = result.plan.policy?.introduced.filter((d) => d.severity === 'error') ?? [];
    if (introduced.length > 0) {
      process.stderr.write(
        `modelgate: not written: the promotion would bring ${introduced.length} error${introduced.length === 1 ? '' : 's'} to ${opts.to}.\n`,
      );
      return setExitCode(command, EXIT_FINDINGS);
    }
    if (result.pins.length > 0 && !opts.dryRun) {
      writeFileSync(join(root, result.file), result.after);
      process.stderr.write(
        `modelgate: wrote ${result.file} (${result.pins.length} resource${result.pins.length === 1 ? '' : 's'} promoted from ${opts.from}).\n`,
      );
    } else if (result.pins.length > 0) {
      process.stderr.write(`modelgate: dry run: ${result.file} not written.\n`);
    }
    setExitCode(command, EXIT_OK);
  });
}
