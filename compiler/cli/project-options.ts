// Options and argument checks shared by the commands that compile a config repo.
import { existsSync, statSync } from 'node:fs';
import { Command, Option } from 'commander';
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

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`expected a positive whole number, got "${value}".`);
  return n;
}
