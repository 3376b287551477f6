// `POST /v1/messages/count_tokens`: passed through to providers that speak Messages; for the others an estimate
// made here (see `estimateTokens`), marked `x-modelgate-token-count: estimate`. Limits, access and redaction
// apply as to any request; the usage line records no tokens (nothing was generated).
import type { IRAccessPolicy, IRRoute } from '../../../compiler/ir/types.ts';
import type { Call } from '../../call.ts';
import { attempt, fetchAnswer, admit as admitLimits, setProviderHeaders } from '../../proxy.ts';
import type { Answer } from '../../providers/adapter.ts';
import { isJsonObjectText } from '../../providers/openai.ts';
import type { Candidate } from '../../routing.ts';
import { NO_USAGE } from '../../usage.ts';
import type { Body, RequestReader } from '../api.ts';
import { anthropicErrors } from './errors.ts';
import { nativeCall } from './passthrough.ts';
import { type MessagesInput, parseCountTokens, redactMessages } from './request.ts';

export const countTokensApi: RequestReader<MessagesInput> = {
  name: 'messages',
  errors: anthropicErrors,
  routeType: 'chat',
  parse: parseCountTokens,
};

export async function countTokens(call: Call, _api: unknown, route: IRRoute, policy: IRAccessPolicy, req: MessagesInput): Promise<void> {
  const plan = await admitLimits(call, route, policy);
  const redact = call.snap.redactor(policy);
  if (redact) redactMessages(req, redact);
  let estimated = false;
  const { answer, candidate } = await attempt(call, route, plan, async (c, timeoutMs) => {
    const native = c.provider.adapter.native?.['messages.count_tokens'];
    if (!native) {
      estimated = true;
      return { body: JSON.stringify({ input_tokens: estimateTokens(req.body) }), usage: NO_USAGE };
    }
    return fetchAnswer(call, c, timeoutMs, nativeCall(call, req, native, { model: c.model.name }), countAnswer, req);
  });
  setProviderHeaders(call, candidate);
  if (estimated) call.headers['x-modelgate-token-count'] = 'estimate';
  call.respond(200, answer.body);
}

/** Anthropic's count as it came; no tokens spent. */
function countAnswer(_call: Call, _req: MessagesInput, _c: Candidate, bytes: Buffer): Answer {
  if (!isJsonObjectText(bytes)) throw new Error('not a JSON object');
  return { body: bytes, usage: NO_USAGE };
}

/** What an image or a document counts in an estimate: Anthropic's count for an image of about 1.15 megapixels. */
const MEDIA_TOKENS = 1600;

/**
 * An estimate of the input tokens: a token per four characters of every text the request carries (system prompt,
 * message text, tool calls' inputs and results, tool definitions), MEDIA_TOKENS per image or document.
 */
export function estimateTokens(body: Body): number {
  let chars = 0;
  let media = 0;
  const blocks = (content: unknown): void => {
    if (typeof content === 'string') chars += content.length;
    else if (Array.isArray(content)) for (const b of content) block(b);
  };
  const block = (b: Body): void => {
    if (b.type === 'text') chars += b.text.length;
    else if (b.type === 'tool_use') chars += b.name.length + JSON.stringify(b.input).length;
    else if (b.type === 'tool_result') blocks(b.content);
    else if (b.type === 'image' || b.type === 'document') media++;
  };
  blocks(body.system);
  for (const m of body.messages) blocks(m.content);
  for (const t of body.tools ?? []) chars += JSON.stringify(t).length;
  return Math.ceil(chars / 4) + media * MEDIA_TOKENS;
}
