// The paths the Node gateway serves itself, which a prompt's own endpoint (`Prompt.spec.expose.path`) must not take.

/** Served exactly. */
const EXACT = [
  '/healthz',
  '/readyz',
  '/openapi.json',
  '/mcp',
  '/v1/chat/completions',
  '/v1/embeddings',
  '/v1/messages',
  '/v1/messages/count_tokens',
  '/v1/models',
  '/v1/prompts',
  '/v1/responses',
];

/** Served with anything after them, as the gateway's docs write them. */
const PREFIXES: Readonly<Record<string, string>> = {
  '/mcp/': '/mcp/{server}',
  '/v1/models/': '/v1/models/{id}',
  '/v1/prompts/': '/v1/prompts/{name}',
  '/v1/responses/': '/v1/responses/{id}',
};

/** The gateway path `path` collides with (`/v1/models/{id}`), or undefined when it is free. */
export function gatewayPathTaken(path: string, metricsPath: string | undefined): string | undefined {
  if (EXACT.includes(path) || path === metricsPath) return path;
  const prefix = Object.keys(PREFIXES).find((p) => path.startsWith(p));
  return prefix && PREFIXES[prefix];
}
