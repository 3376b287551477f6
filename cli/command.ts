// Helpers every command module shares: setting the exit code and the common options.
import { type Command, Option } from 'commander';

/** Records the command's exit code; `main` returns it after the action resolves. */
export function setExitCode(command: Command, code: number): void {
  (command as Command & { exitCode?: number }).exitCode = code;
}

export function formatOption(choices: readonly string[] = ['text', 'json']): Option {
  return new Option('-f, --format <format>', 'output format').choices(choices).default('text');
}
