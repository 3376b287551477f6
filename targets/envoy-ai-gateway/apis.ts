// The Anthropic Messages and OpenAI Responses APIs. A rule matches on x-ai-eg-model, so it serves every API path
// for its model; v1.1 passes /v1/messages only to Anthropic-schema backends and /v1/responses only to OpenAI ones,
// untranslated. What a route's other backends, and the paths v1.1 has no handler for, cannot answer is reported.
import type { IR, IRProvider } from '../../compiler/ir/types.ts';
import type { TargetFinding } from '../target.ts';

/** Provider types whose backend answers each API: Gemini's OpenAI-compatible endpoint has no Responses API. */
const SERVED_BY: Record<'Messages' | 'Responses', { path: string; types: ReadonlySet<IRProvider['type']> }> = {
  Messages: { path: '/v1/messages', types: new Set(['anthropic']) },
  Responses: { path: '/v1/responses', types: new Set(['openai', 'openai-compatible']) },
};

export function apiFindings(ir: IR): TargetFinding[] {
  const providers = new Map(ir.providers.map((p) => [p.name, p]));
  const chat = ir.routes.filter((r) => r.type === 'chat');
  const routes = chat.flatMap((r): TargetFinding[] => {
    const used = [...new Set([...r.targets, ...r.fallbacks].map((t) => t.provider))].sort().map((n) => providers.get(n)!);
    const gaps = Object.entries(SERVED_BY).flatMap(([api, { path, types }]) => {
      const missing = used.filter((p) => !types.has(p.type)).map((p) => p.name);
      return missing.length ? [`${api} requests (${path}) fail at ${missing.join(', ')}`] : [];
    });
    if (!gaps.length) return [];
    return [
      {
        ruleId: 'target-unsupported',
        severity: 'warning',
        resource: `Route/${r.name}`,
        path: ['spec', 'targets'],
        message: `Envoy AI Gateway v1.1 passes the Anthropic Messages API only to Anthropic backends and the OpenAI Responses API only to OpenAI ones, untranslated: on route ${r.name}, ${gaps.join('; ')}`,
        hint: 'the node target translates both APIs for every provider',
      },
    ];
  });
  if (!chat.length) return routes;
  const gateway = `Gateway/${ir.gateway.name}`;
  const store = ir.gateway.stores.responses;
  return [
    ...routes,
    {
      ruleId: 'target-unsupported',
      severity: 'warning',
      resource: gateway,
      path: ['spec'],
      message:
        'Envoy AI Gateway v1.1 has no handler for POST /v1/messages/count_tokens nor for GET and DELETE /v1/responses/{id}: they get 404',
    },
    ...(store
      ? [
          {
            ruleId: 'target-unsupported' as const,
            severity: 'warning' as const,
            resource: gateway,
            path: ['spec', 'stores', 'responses'],
            message:
              'Envoy AI Gateway keeps no Responses store: store and previous_response_id reach OpenAI backends as sent (OpenAI keeps the conversation, readable by any client with the key) and fail elsewhere',
          },
        ]
      : []),
  ];
}
