// `modelgate validate`: schema, references, rules and policies of one or every environment, in one report.
import { Command } from 'commander';
import { hasErrors } from '../../kernel/diagnostics.ts';
import { compileProject } from '../../pipeline/compile.ts';
import { emitReport, REPORT_FORMATS, type ReportFormat } from '../../reports/formats/index.ts';
import { formatOption, setExitCode } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.ts';
import { addProjectOptions, checkedRoot } from '../project-options.ts';

export function register(program: Command): void {
  addProjectOptions(
    program
      .command('validate')
      .description('check a config repo: YAML, schemas, references, lint rules and organisation policies')
      .option('-e, --env <name>', 'environment to check, or "all" (default: every environment)')
      .addOption(formatOption(REPORT_FORMATS))
      .option('-o, --output <file>', 'write the report to a file; a text summary still goes to the terminal')
      .addHelpText(
        'after',
        `
Examples:
  $ modelgate validate fixtures/acme --env prod
  $ modelgate validate . --env all --format codequality --output gl-code-quality.json
  $ modelgate validate . --format sarif > modelgate.sarif

Exit codes: 0 clean or warnings only, 1 errors found, 2 usage or internal error.`,
      ),
  ).action((dir: string, opts: { env?: string; format: ReportFormat; output?: string; maxFileBytes: number }, command: Command) => {
    const result = compileProject(checkedRoot(dir), { env: opts.env, maxFileBytes: opts.maxFileBytes });
    emitReport(result.diagnostics, {
      root: dir,
      format: opts.format,
      output: opts.output,
      filesChecked: result.files.map((f) => f.path),
      rules: result.rules,
    });
    setExitCode(command, hasErrors(result.diagnostics) ? EXIT_FINDINGS : EXIT_OK);
  });
}
