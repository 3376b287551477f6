// `modelgate lsp`: the language server over stdin/stdout, for editors (docs/editor.md). It runs until the
// editor sends `exit`.
import type { Command } from 'commander';
import { addProjectOptions } from '../project-options.ts';

export function register(program: Command): void {
  addProjectOptions(
    program
      .command('lsp')
      .description('run the language server over stdio: diagnostics, completion, navigation and rename as you type')
      .option('--stdio', 'talk over stdin and stdout (the default and only transport; accepted for editors that pass it)')
      .addHelpText(
        'after',
        `
The config root is the editor's workspace folder, or its initializationOptions.root (relative to the folder, inside it);
[dir] only when the editor names no folder. Diagnostics are those of \`modelgate validate\` for every environment.
Setup for VS Code, Neovim and JetBrains: docs/editor.md.

Examples:
  $ modelgate lsp --stdio
  $ modelgate lsp fixtures/acme`,
      ),
  ).action(async (dir: string, opts: { maxFileBytes: number }) => {
    // Loaded here: the protocol library is needed by this command only.
    const { startServer } = await import('../../lsp/server.ts');
    const connection = startServer({ input: process.stdin, output: process.stdout, root: dir, maxFileBytes: opts.maxFileBytes });
    // The library ends the process on `exit`; until then the command is running.
    await new Promise<void>((done) => connection.onExit(done));
  });
}
