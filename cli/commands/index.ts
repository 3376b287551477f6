// Every CLI command by name, in the order the help lists them, each registered from its own module. A module is
// loaded only when its command runs (or the help lists them all): the modules import what their actions need
// (yaml, ajv, handlebars, esbuild…), ≈0.2 s of start-up that `--version` or a light command need not pay.
import type { Command } from 'commander';

export type CommandModule = { register: (program: Command) => void };

export const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  validate: () => import('./validate.ts'),
  build: () => import('./build.ts'),
  graph: () => import('./graph.ts'),
  schema: () => import('./schema.ts'),
  init: () => import('./init.ts'),
  usage: () => import('./usage.ts'),
  plan: () => import('./plan.ts'),
  promote: () => import('./promote.ts'),
  diff: () => import('./diff.ts'),
  policy: () => import('./policy.ts'),
  rules: () => import('./rules.ts'),
  serve: () => import('./serve.ts'),
  'verify-plan': () => import('./verify-plan.ts'),
  owners: () => import('./owners.ts'),
  approvals: () => import('./approvals.ts'),
  portal: () => import('./portal.ts'),
  lsp: () => import('./lsp.ts'),
};

/**
 * The modules `argv` needs: the named command's alone, none for `--version`, else every one (the help, `help
 * <command>`, or a mistyped name, for which commander suggests the closest command).
 */
export function commandsFor(argv: readonly string[]): (() => Promise<CommandModule>)[] {
  const first = argv[2];
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return [COMMANDS[first]!];
  if (first === '--version' || first === '-v') return [];
  return Object.values(COMMANDS);
}
