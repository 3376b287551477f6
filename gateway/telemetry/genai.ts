// The gateway's facts in the words of the OpenTelemetry GenAI semantic conventions: provider names and finish
// reasons. Pure, so that the mapping is tested without an SDK.
import type { IRProvider } from '../../compiler/ir/types.ts';

/** `gen_ai.provider.name`: the conventions' well-known value, else (an OpenAI-compatible server) the provider's own name. */
export function genAiProvider(p: IRProvider): string {
  switch (p.type) {
    case 'openai':
      return 'openai';
    case 'azure-openai':
      return 'azure.ai.openai';
    case 'anthropic':
      return 'anthropic';
    case 'bedrock':
      return 'aws.bedrock';
    case 'gemini':
      return 'gcp.gemini';
    default:
      return p.name;
  }
}

/** `finish_reason` (chat completions, whole or in chunks) and `stop_reason` (Anthropic Messages), in any JSON spacing. */
const FINISH = /"(?:finish_reason|stop_reason)"\s*:\s*"([A-Za-z0-9_.-]{1,64})"/g;
/** Choices are few; a hostile answer cannot grow the set further. */
const MAX_REASONS = 16;

/** Adds the finish reasons `text` (an answer, or events of a stream) names to `into`. */
export function collectFinishReasons(text: string | Buffer, into: Set<string>): void {
  // Most stream events name none: those are not decoded.
  if (!text.includes('_reason')) return;
  for (const m of text.toString().matchAll(FINISH)) {
    if (into.size >= MAX_REASONS) return;
    into.add(m[1]!);
  }
}

const servers = new WeakMap<IRProvider, { address: string; port: number }>();

/** `server.address` and `server.port` of a provider's base URL; parsed once per loaded provider. */
export function serverOf(p: IRProvider): { address: string; port: number } {
  let server = servers.get(p);
  if (!server) {
    const url = new URL(p.baseUrl);
    servers.set(p, (server = { address: url.hostname, port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80 }));
  }
  return server;
}
