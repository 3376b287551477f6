import { gatewayPathTaken } from '../../kernel/gateway-paths.ts';
import type { Resource } from '../../kernel/resource.ts';
import { SCHEMA_DEFAULTS } from '../../schema/values.ts';
import type { Rule } from '../rule.ts';

const PATH = ['spec', 'expose', 'path'];

export const promptExposePathFree: Rule = {
  id: 'prompt-expose-path-free',
  description: "A prompt's own endpoint (`expose.path`) is not a path the gateway serves itself, nor another prompt's.",
  rationale:
    'The gateway answers its own paths first: an exposed prompt on `/v1/chat/completions` or `/metrics` would never be reached, and of two prompts on one path only one could be.',
  defaultSeverity: 'error',
  reads: {
    on: ['Prompt'],
    kinds: ['Gateway'],
    parts: {
      Prompt: (prompt) => {
        const { file, line } = prompt.locate(PATH);
        return [prompt.name, prompt.value.spec.expose?.path, file, line];
      },
    },
  },
  docs: [
    'Taken by the gateway: `/v1/chat/completions`, `/v1/embeddings`, `/v1/messages` (and `/count_tokens`), `/v1/responses` and `/v1/responses/{id}`, `/v1/models` and `/v1/models/{id}`, `/v1/prompts/{name}`, `/mcp` and `/mcp/{server}`, `/healthz`, `/readyz`, `/openapi.json` and the metrics path (`/metrics` unless the Gateway says otherwise).',
    '',
    'Other paths under `/v1/` are free: `/v1/apps/code-reviewer` is a good home for prompt APIs.',
  ].join('\n'),
  *check(ctx) {
    const gateway = ctx.byKind('Gateway')[0]?.value.spec?.metrics;
    const metricsPath =
      (gateway?.enabled ?? SCHEMA_DEFAULTS.Gateway['spec.metrics.enabled'])
        ? (gateway?.path ?? SCHEMA_DEFAULTS.Gateway['spec.metrics.path'])
        : undefined;
    const byPath = new Map<string, Resource<'Prompt'>[]>();
    for (const prompt of ctx.byKind('Prompt')) {
      const path = prompt.value.spec.expose?.path;
      if (path === undefined) continue;
      const taken = gatewayPathTaken(path, metricsPath);
      if (taken) {
        yield {
          resource: prompt,
          path: PATH,
          message: `Prompt ${prompt.name} is exposed at ${path}, which the gateway serves itself (${taken}).`,
          hint: 'Choose a path of its own, such as `/v1/apps/<name>` or `/<name>`.',
        };
      }
      byPath.set(path, [...(byPath.get(path) ?? []), prompt]);
    }
    for (const [path, prompts] of byPath) {
      if (prompts.length < 2) continue;
      for (const prompt of prompts) {
        const others = prompts.filter((p) => p !== prompt).map((p) => `${p.name} (${p.locate(PATH).file}:${p.locate(PATH).line})`);
        yield {
          resource: prompt,
          path: PATH,
          message: `Prompt ${prompt.name} is exposed at ${path}, as is prompt ${others.join(', ')}.`,
          hint: 'Give each prompt its own path.',
        };
      }
    }
  },
};
