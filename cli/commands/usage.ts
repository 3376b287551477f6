// `modelgate usage`: cost and traffic reports from the gateway's JSON usage logs, with budgets from a config.
import { type Command, Option } from 'commander';
import {
  DIMENSIONS,
  LogSourceError,
  parseBound,
  renderUsage,
  resolveSources,
  USAGE_FORMATS,
  usageReport,
  type Dimension,
  type UsageFormat,
} from '../../reports/usage/index.ts';
import { writeReport } from '../../reports/formats/index.ts';
import { setExitCode } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../exit-codes.ts';
import { compileEnvironment } from '../project-options.ts';

interface UsageFlags {
  by: Dimension;
  since?: string;
  until?: string;
  format: UsageFormat;
  config?: string;
  env?: string;
  output?: string;
}

export function register(program: Command): void {
  program
    .command('usage')
    .description('aggregate gateway usage logs: requests, tokens, cost, errors, cache hits, latency; budgets with --config')
    .argument('<log...>', 'usage log files (JSON lines; .gz too), globs, or - for stdin')
    .addOption(new Option('-b, --by <field>', 'group by').choices(DIMENSIONS).default('consumer'))
    .option('--since <date>', 'first day (YYYY-MM-DD, UTC) or date-time (ISO 8601) counted')
    .option('--until <date>', 'last day or date-time counted; budgets are judged as of it')
    .addOption(new Option('-f, --format <format>', 'output format').choices(USAGE_FORMATS).default('text'))
    .option('-c, --config <dir>', 'config repo whose access-policy budgets the spend is compared with (needs --env)')
    .option('-e, --env <name>', 'environment of --config')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ modelgate usage /var/log/modelgate/usage-*.jsonl.gz --by route
  $ kubectl logs deploy/modelgate | modelgate usage - --since 2026-01-01
  $ modelgate usage usage.jsonl --config . --env prod --format html --output usage.html

Malformed lines are counted and listed, never fatal. Latency percentiles are estimates within ±1%.`,
    )
    .action(async (logs: string[], flags: UsageFlags, command: Command) => {
      const since = bound(flags.since, 'since');
      const until = bound(flags.until, 'until');
      if (since !== undefined && until !== undefined && since > until) throw new UsageError('--since is after --until.');
      if (flags.config !== undefined && flags.env === undefined)
        throw new UsageError('--config needs --env to pick the environment whose budgets apply.');
      if (flags.env !== undefined && flags.config === undefined) throw new UsageError('--env is only used with --config DIR.');
      let config;
      if (flags.config !== undefined) {
        const env = compileEnvironment(flags.config, flags.env!);
        if (!env?.ir) return setExitCode(command, EXIT_FINDINGS);
        config = { ir: env.ir, root: flags.config };
      }
      try {
        const report = await usageReport(resolveSources(logs), { by: flags.by, since, until, config });
        const rendered = renderUsage(report, flags.format);
        if (flags.output) writeReport(flags.output, rendered);
        else process.stdout.write(rendered);
        const { count, first } = report.summary.malformed;
        // The text report on the terminal lists them already; elsewhere say so where a person looks.
        if (count && (flags.output || flags.format !== 'text')) {
          process.stderr.write(`modelgate: skipped ${count} malformed line${count === 1 ? '' : 's'}; the first:\n`);
          process.stderr.write(first.map((m) => `  ${m.source}:${m.line}: ${m.reason}\n`).join(''));
        }
      } catch (error) {
        if (error instanceof LogSourceError) throw new UsageError(error.message);
        throw error;
      }
      setExitCode(command, EXIT_OK);
    });
}

function bound(value: string | undefined, edge: 'since' | 'until'): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseBound(value, edge);
  if (ms === undefined)
    throw new UsageError(`--${edge} ${value}: expected a day (2026-01-31) or an ISO 8601 date-time (2026-01-31T12:00:00Z).`);
  return ms;
}
