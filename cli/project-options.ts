// Options, argument checks and compilation shared by the commands that compile a config repo.
import { existsSync, statSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { hasErrors } from '../kernel/diagnostics.ts';
import { type CompileResult, compileProject, type EnvironmentCompilation } from '../pipeline/compile.ts';
import { emitReport } from '../reports/formats/index.ts';
import { UsageError } from './exit-codes.ts';

export function addProjectOptions(command: Command): Command {
  return command
    .argument('[dir]', 'config repo root', '.')
    .addOption(new Option('--max-file-bytes <bytes>', 'largest YAML file read').argParser(positiveInt).default(5 * 1024 * 1024));
}

export function checkedRoot(dir: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a directory.`);
  return dir;
}

/** One environment's compilation, or undefined after reporting the errors that prevent its IR. */
export function compileEnvironment(dir: string, env: string, maxFileBytes?: number): EnvironmentCompilation | undefined {
  const result = compileProject(checkedRoot(dir), { env, maxFileBytes });
  const compiled = singleEnvironment(result, env);
  if (!hasErrors(result.diagnostics) && compiled?.ir) return compiled;
  emitReport(result.diagnostics, { format: 'text', filesChecked: result.files.map((f) => f.path), stream: process.stderr });
  process.stderr.write(`modelgate: ${dir} does not compile for environment ${env}: fix the errors above first.\n`);
  return undefined;
}

/** The one environment `--env` names; "all" is one only where the config declares none (the base). */
export function singleEnvironment(result: CompileResult, env: string): EnvironmentCompilation | undefined {
  if (result.environments.length > 1) {
    const names = result.environments.map((e) => e.environment.name).join(', ');
    throw new UsageError(`--env ${env} names ${result.environments.length} environments (${names}): pick one.`);
  }
  return result.environments[0];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`expected a positive whole number, got "${value}".`);
  return n;
}
