// The APIs the gateway bench sends, each as its clients send it: OpenAI chat completions, Anthropic Messages
// (Claude Code, the Anthropic SDKs) and OpenAI Responses (Codex, the Agents SDK). servers/mock-upstream.mjs
// answers all three in the providers' formats, so the bare proxy can forward each as it is.

export type ApiId = 'chat' | 'messages' | 'responses';
export type BodyKind = 'json' | 'sse';
export const BODIES: readonly BodyKind[] = ['json', 'sse'];

export interface Api {
  id: ApiId;
  path: string;
  /** What its clients send besides the body and the key. */
  headers: Record<string, string>;
  body(model: string, body: BodyKind): string;
  /** Text that every right answer holds: a wrong answer would make the numbers meaningless. */
  answer: Record<BodyKind, string>;
  /** Table headings. */
  title: Record<BodyKind, string>;
}

const PROMPT = 'Say hello.';
const request = (fields: Record<string, unknown>, body: BodyKind) => JSON.stringify(body === 'sse' ? { ...fields, stream: true } : fields);

export const APIS: Record<ApiId, Api> = {
  chat: {
    id: 'chat',
    path: '/v1/chat/completions',
    headers: {},
    body: (model, body) => request({ model, messages: [{ role: 'user', content: PROMPT }], max_tokens: 64 }, body),
    answer: { json: '"chat.completion"', sse: 'data: [DONE]' },
    title: { json: 'Non-streaming (chat.completion JSON)', sse: 'Streaming (SSE, 6 events)' },
  },
  messages: {
    id: 'messages',
    path: '/v1/messages',
    headers: { 'anthropic-version': '2023-06-01' },
    body: (model, body) => request({ model, max_tokens: 64, messages: [{ role: 'user', content: PROMPT }] }, body),
    answer: { json: '"type":"message"', sse: 'event: message_stop' },
    title: { json: 'Anthropic Messages, non-streaming (message JSON)', sse: 'Anthropic Messages, streaming (SSE, 9 events)' },
  },
  responses: {
    id: 'responses',
    path: '/v1/responses',
    headers: {},
    body: (model, body) => request({ model, input: PROMPT, max_output_tokens: 64 }, body),
    answer: { json: '"object":"response"', sse: 'event: response.completed' },
    title: { json: 'OpenAI Responses, non-streaming (response JSON)', sse: 'OpenAI Responses, streaming (SSE, 11 events)' },
  },
};

export type SystemId =
  | 'upstream'
  | 'proxy'
  | 'proxy-read'
  | 'translating-proxy'
  | 'modelgate'
  | 'modelgate-baseline'
  | 'modelgate-redis'
  | 'modelgate-redis-baseline'
  | 'portkey';

/** One system serving one API: a row group of the tables. */
export interface Lane {
  api: ApiId;
  system: SystemId;
  /**
   * modelgate's route (its chat route when absent) and what it does with the request; the translating proxy's
   * lanes name the same routes, so that it is sent the same requests as modelgate's translated lanes.
   */
  route?: { name: string; via: string };
  /** The proxies on an agent API are there to compare modelgate with: measured only beside a live modelgate lane. */
  reference?: boolean;
}

/**
 * Every system but the translating proxy on chat; on the agents' APIs the bare proxy and modelgate, through a route
 * whose provider speaks the API (passed through) and one whose provider does not (translated), with the same client
 * requests, and the translating proxy beside the translated one (the floor of translation).
 */
export function lanes(systems: readonly SystemId[], routes: { openai: string; anthropic: string }): Lane[] {
  const gateways = systems.filter((s) => s === 'modelgate' || s === 'modelgate-baseline');
  const agentApi = (api: ApiId, passthrough: [string, string], translated: [string, string]): Lane[] => [
    ...(['proxy', 'proxy-read'] as const).filter((s) => systems.includes(s)).map((system) => ({ api, system, reference: true })),
    ...(systems.includes('translating-proxy')
      ? [{ api, system: 'translating-proxy' as const, route: { name: translated[0], via: translated[1] }, reference: true }]
      : []),
    ...gateways.flatMap((system) => [passthrough, translated].map(([name, how]) => ({ api, system, route: { name, via: how } }))),
  ];
  return [
    ...systems.filter((system) => system !== 'translating-proxy').map((system) => ({ api: 'chat' as const, system })),
    ...agentApi('messages', [routes.anthropic, 'passthrough to anthropic'], [routes.openai, 'translated to openai']),
    ...agentApi('responses', [routes.openai, 'passthrough to openai'], [routes.anthropic, 'translated to anthropic']),
  ];
}
