// `modelgate rules`: the built-in lint rules with id, default severity and description.
import type { Command } from 'commander';
import { BUILTIN_RULES } from '../../policies/index.ts';
import { formatOption } from '../command.ts';

export function register(program: Command): void {
  program
    .command('rules')
    .description('list the built-in lint rules: id, default severity, environments and description')
    .addOption(formatOption(['text', 'json']))
    .addHelpText('after', "\nTurn rules off or change their severity in modelgate.config.yaml or an Environment's spec.rules.")
    .action((opts: { format: 'text' | 'json' }) => {
      const rows = BUILTIN_RULES.map((r) => ({
        id: r.id,
        severity: r.defaultSeverity,
        tiers: r.tiers ?? [],
        description: r.description,
        rationale: r.rationale,
      }));
      if (opts.format === 'json') {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const idWidth = Math.max(...rows.map((r) => r.id.length));
      for (const r of rows) {
        const scope = r.tiers.length ? ` (${r.tiers.join(', ')} only)` : '';
        process.stdout.write(`${r.id.padEnd(idWidth)}  ${r.severity.padEnd(7)}  ${r.description}${scope}\n`);
      }
    });
}
