/** 0: clean or warnings only. 1: errors found in the user's config. 2: usage or internal error. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export { UsageError } from '../kernel/errors.ts';

/**
 * `plan` and `diff` follow decK's `--non-zero-exit-code`: 0 no change, 2 changes, 1 any failure. For them a
 * usage or internal error must not read as "changes", so it exits 1.
 */
const DIFF_STYLE_COMMANDS = new Set(['plan', 'diff']);

export function usageExitCode(commandName: string | undefined): number {
  return commandName !== undefined && DIFF_STYLE_COMMANDS.has(commandName) ? EXIT_FINDINGS : EXIT_USAGE;
}
