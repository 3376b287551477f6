// The modelgate CLI: commander program, one module per command under ./commands.
import { Command, CommanderError } from 'commander';
import { UsageError, usageExitCode } from './exit-codes.ts';
import { commandsFor } from './commands/index.ts';
import { VERSION } from '../kernel/version.ts';
import { GitLabError } from '../gitops/gitlab/merge-request.ts';

/** The program with the commands `argv` runs (every command when no argv is given). */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const modules = await Promise.all(commandsFor(argv).map((load) => load()));
  const program = new Command('modelgate')
    .description('GitOps compiler and policy engine for AI/LLM gateways')
    .version(VERSION, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const { register } of modules) register(program);
  return program;
}

/** Runs the CLI and returns the exit code; never throws for a user's mistake. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = await buildProgram(argv);
  program.hook('postAction', (_parent, action) => {
    const result = (action as Command & { exitCode?: number }).exitCode;
    if (typeof result === 'number') code = result;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    const failureCode = usageExitCode(argv[2]);
    if (error instanceof CommanderError) {
      // --help and --version end with exitCode 0; parse errors were already printed by commander.
      return error.exitCode === 0 ? 0 : failureCode;
    }
    // A GitLab setup or API problem (no token, a refused token) is the user's to fix, like a usage error.
    if (error instanceof UsageError || error instanceof GitLabError) {
      process.stderr.write(`modelgate: ${error.message}\n`);
      return failureCode;
    }
    process.stderr.write(`modelgate: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
    process.stderr.write('This is a bug in modelgate, not in your config. Please report it with the command you ran.\n');
    return failureCode;
  }
}
