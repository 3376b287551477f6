// `modelgate graph`: the effective config of one environment as a picture (Mermaid, DOT or JSON).
import { type Command, Option } from 'commander';
import {
  buildGraph,
  DEFAULT_MAX_NODES,
  FocusNotFoundError,
  GRAPH_FORMATS,
  renderGraph,
  type GraphFormat,
  type Waiver,
} from '../../reports/graph/index.ts';
import type { EnvironmentCompilation } from '../../pipeline/compile.ts';
import { setExitCode } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../exit-codes.ts';
import { addProjectOptions, compileEnvironment } from '../project-options.ts';

export function register(program: Command): void {
  addProjectOptions(
    program
      .command('graph')
      .description('draw who reaches what: consumers -> access policies -> prompts/routes -> models -> providers')
      .requiredOption('-e, --env <name>', 'environment to draw')
      .addOption(new Option('-f, --format <format>', 'output format').choices(GRAPH_FORMATS).default('mermaid'))
      .option('--focus <kind/name>', 'keep only what reaches or is reached by one resource (Route/chat-default)')
      .addOption(
        new Option('--max-nodes <n>', 'fold consumers by team, models into providers, prompts by route beyond this many nodes')
          .argParser(nodeLimit)
          .default(DEFAULT_MAX_NODES),
      )
      .addHelpText(
        'after',
        `
Examples:
  $ modelgate graph fixtures/acme --env prod > graph.mmd
  $ modelgate graph . --env prod --focus Route/chat-default
  $ modelgate graph . --env prod --format dot | dot -Tsvg > graph.svg

Mermaid output renders as it is inside a \`\`\`mermaid block in GitLab markdown.`,
      ),
  ).action(
    (dir: string, opts: { env: string; format: GraphFormat; focus?: string; maxNodes: number; maxFileBytes: number }, command: Command) => {
      const env = compileEnvironment(dir, opts.env, opts.maxFileBytes);
      if (!env?.ir) return setExitCode(command, EXIT_FINDINGS);
      try {
        const graph = buildGraph(env.ir, { focus: opts.focus, maxNodes: opts.maxNodes, waivers: waiversOf(env) });
        process.stdout.write(renderGraph(graph, opts.format));
      } catch (error) {
        if (error instanceof FocusNotFoundError) throw new UsageError(error.message);
        throw error;
      }
      setExitCode(command, EXIT_OK);
    },
  );
}

/** PolicyExceptions that hold in this environment. */
function waiversOf(env: EnvironmentCompilation): Waiver[] {
  return env.resources.flatMap((r) =>
    r.kind === 'PolicyException' && (!r.value.spec.environments || r.value.spec.environments.includes(env.environment.name))
      ? [{ rule: r.value.spec.rule, resources: r.value.spec.resources }]
      : [],
  );
}

function nodeLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--max-nodes expects a positive whole number, got "${value}".`);
  return n;
}
