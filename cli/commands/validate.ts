// `modelgate validate`: schema, references, rules and policies of one or every environment, in one report, or
// in several formats from one compilation (`--format codequality=gl-code-quality-report.json`).
import { type Command, Option } from 'commander';
import { codeownersFindings } from '../../gitops/owners/codeowners-file.ts';
import { hasErrors } from '../../kernel/diagnostics.ts';
import { compileProject } from '../../pipeline/compile.ts';
import { emitReports, REPORT_FORMATS, type ReportFormat, type ReportTarget } from '../../reports/formats/index.ts';
import { setExitCode } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../exit-codes.ts';
import { addProjectOptions, checkedRoot } from '../project-options.ts';

export function register(program: Command): void {
  addProjectOptions(
    program
      .command('validate')
      .description('check a config repo: YAML, schemas, references, lint rules and organisation policies')
      .option('-e, --env <name>', 'environment to check, or "all" (default: every environment)')
      .addOption(
        new Option(
          '-f, --format <format[=file]>',
          `a report: ${REPORT_FORMATS.join(', ')}; "=file" writes it to a file (repeat for several; default: text)`,
        ).argParser((value: string, previous: ReportTarget[] = []) => [...previous, reportTarget(value)]),
      )
      .option('-o, --output <file>', 'write the one --format given without a file to this file')
      .addHelpText(
        'after',
        `
Examples:
  $ modelgate validate fixtures/acme --env prod
  $ modelgate validate . --env all --format codequality=gl-code-quality-report.json --format junit=modelgate-junit.xml
  $ modelgate validate . --format text --format sarif=modelgate.sarif   # text to the terminal, SARIF to a file
  $ modelgate validate . --format sarif > modelgate.sarif

A CODEOWNERS section written by \`modelgate owners\` is checked too (codeowners-stale).
Every report comes from one compilation. Paths in the SARIF, Code Quality and JUnit reports are relative to
the git repository's root, wherever the command runs. When every report goes to a file, the terminal gets
one line on stderr naming the files, and nothing on stdout.

Exit codes: 0 clean or warnings only, 1 errors found, 2 usage or internal error.`,
      ),
  ).action((dir: string, opts: { env?: string; format?: ReportTarget[]; output?: string; maxFileBytes: number }, command: Command) => {
    const targets = withOutput(opts.format ?? [{ format: 'text' }], opts.output);
    // Findings only: the IR is not built (the findings are the same).
    const result = compileProject(checkedRoot(dir), { env: opts.env, maxFileBytes: opts.maxFileBytes, ir: false });
    const diagnostics = [...result.diagnostics, ...codeownersFindings(dir, result.resources)];
    emitReports(diagnostics, targets, { root: dir, filesChecked: result.files.map((f) => f.path), rules: result.rules });
    setExitCode(command, hasErrors(diagnostics) ? EXIT_FINDINGS : EXIT_OK);
  });
}

function reportTarget(value: string): ReportTarget {
  const [format, ...file] = value.split('=');
  if (!(REPORT_FORMATS as readonly string[]).includes(format!))
    throw new UsageError(`unknown report format "${format}". Formats: ${REPORT_FORMATS.join(', ')}.`);
  if (file.length > 0 && !file.join('=')) throw new UsageError(`--format ${value}: name the file after "=".`);
  return { format: format as ReportFormat, ...(file.length > 0 ? { file: file.join('=') } : {}) };
}

/** `--output` names the file of the one report without one; at most one report may go to the terminal. */
function withOutput(targets: ReportTarget[], output: string | undefined): ReportTarget[] {
  const toTerminal = targets.filter((t) => !t.file);
  if (output && toTerminal.length !== 1) throw new UsageError('--output needs exactly one --format without "=file".');
  if (toTerminal.length > 1) {
    throw new UsageError(`only one report can go to the terminal; give the others a file (--format ${toTerminal[1]!.format}=FILE).`);
  }
  return output ? targets.map((t) => (t.file ? t : { ...t, file: output })) : targets;
}
