// OpenAI, Azure OpenAI and OpenAI-compatible servers (vLLM, Ollama): same body, different URLs and auth header.
// Bodies go through with the model swapped in; answers come back byte for byte.
import type { IRModel, IRProvider } from '../../compiler/ir/types.ts';
import { valueRange } from '../apis/json-fields.ts';
import { eventData, joinEvents, SSE_DONE } from '../http/sse.ts';
import { fromOpenAIUsage, isJsonSpace, NO_USAGE, usageFromOpenAIBody, usageMember, type TokenUsage } from '../usage.ts';
import {
  type Answer,
  type ChunkHandler,
  endpoint,
  EventStreamTranslator,
  headerList,
  jsonCall,
  type Endpoint,
  type NativeCall,
  type OutgoingChat,
  type ProviderAdapter,
} from './adapter.ts';
import { streamErrorStatus, UpstreamFailure } from './upstream-errors.ts';

export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

export function openAIAdapter(provider: IRProvider, credential: string | undefined): ProviderAdapter {
  const azure = provider.type === 'azure-openai';
  const fixed: Record<string, string> = { ...provider.headers, 'content-type': 'application/json' };
  if (credential !== undefined) {
    if (azure) fixed['api-key'] = credential;
    else fixed.authorization = `Bearer ${credential}`;
  }
  const headers = headerList(endpoint(provider.baseUrl), fixed);
  // OpenAI deprecated `max_tokens` for `max_completion_tokens`; self-hosted servers mostly know only the former.
  const maxTokensField = provider.type === 'openai-compatible' ? 'max_tokens' : 'max_completion_tokens';
  const endpoints = new Map<string, { chat: Endpoint; embeddings: Endpoint }>(
    provider.models.map((m) => [
      m.name,
      { chat: endpoint(urlFor(provider, m, 'chat/completions')), embeddings: endpoint(urlFor(provider, m, 'embeddings')) },
    ]),
  );
  return {
    chat(req: OutgoingChat, model: IRModel) {
      // A copy, then set: `{ ...body, model }` on a body without `model` (one translated to chat) made an object
      // V8 encodes slowly, 1.5 µs more per request (bench/RESULTS.md, issue #15, branch `json5`). Same key order.
      const body: Record<string, any> = Object.assign({}, req.body);
      body.model = model.name;
      if (req.maxTokens !== undefined) {
        const field = 'max_completion_tokens' in body ? 'max_completion_tokens' : 'max_tokens' in body ? 'max_tokens' : maxTokensField;
        body[field] = req.maxTokens;
      }
      // Usage is always asked for, for limits and cost; the extra chunk is dropped for clients that did not ask.
      if (req.stream) body.stream_options = { ...body.stream_options, include_usage: true };
      return jsonCall(endpoints.get(model.name)!.chat, headers, JSON.stringify(body));
    },
    embeddings: (body, model) => jsonCall(endpoints.get(model.name)!.embeddings, headers, JSON.stringify({ ...body, model: model.name })),
    chatResponse: openAIAnswer,
    chatStream: (includeUsage, _req, _model, chunks) => new OpenAIStream(includeUsage, chunks),
    // Self-hosted servers mostly lack the Responses API: theirs is reached through chat.
    ...(provider.type === 'openai-compatible' ? {} : { native: { responses: nativeResponses(provider, headers) } }),
  };
}

/** OpenAI's `/responses`; Azure's is its v1 API's, one for all deployments (the body's `model` names the deployment). */
function nativeResponses(provider: IRProvider, headers: readonly string[]): NativeCall {
  const target = endpoint(provider.type === 'azure-openai' ? `${azureRoot(provider)}/v1/responses` : `${provider.baseUrl}/responses`);
  return (body) => jsonCall(target, headers, body);
}

/**
 * A 2xx answer in OpenAI's format (chat or embeddings), passed on byte for byte, with its usage. An answer that
 * is not one JSON object (empty, truncated, an HTML error page) throws, to become a 502: only the first and last
 * characters are looked at, as parsing every answer in full would cost more than the proxying.
 */
export function openAIAnswer(body: Buffer): Answer {
  if (!isJsonObjectText(body)) throw new Error('not a JSON object');
  return { body, usage: usageFromOpenAIBody(body) };
}

/** Whether the bytes look like one JSON object: their first and last non-space characters are braces. */
export function isJsonObjectText(bytes: Buffer): boolean {
  let start = 0;
  let end = bytes.length - 1;
  while (start < end && isJsonSpace(bytes[start])) start++;
  while (end > start && isJsonSpace(bytes[end])) end--;
  return end > start && bytes[start] === 0x7b && bytes[end] === 0x7d;
}

function urlFor(provider: IRProvider, model: IRModel, operation: string): string {
  if (provider.type !== 'azure-openai') return `${provider.baseUrl}/${operation}`;
  const deployment = encodeURIComponent(model.deployment ?? model.name);
  return `${azureRoot(provider)}/deployments/${deployment}/${operation}?api-version=${encodeURIComponent(provider.apiVersion ?? DEFAULT_AZURE_API_VERSION)}`;
}

/** Accepts both `https://x.openai.azure.com` and `https://x.openai.azure.com/openai`. */
const azureRoot = (provider: IRProvider) => (provider.baseUrl.endsWith('/openai') ? provider.baseUrl : `${provider.baseUrl}/openai`);

const USAGE = Buffer.from('"usage":{');
const DONE = Buffer.from('[DONE]');
/** Longer events are chunks: the closing one is `data: [DONE]`, with an `id:` line at most. */
const DONE_EVENT_MAX = 64;
const CHOICES = ['choices'];

/**
 * Passes events through as bytes; reads the usage chunk, and drops it when the client did not ask for it. Only
 * that chunk's `usage` member is parsed; the other events are searched once for it, and not at all for `[DONE]`
 * when longer than that event. With `chunks` (another API's translator), hands each chunk over parsed instead,
 * writing only `[DONE]`.
 */
class OpenAIStream extends EventStreamTranslator {
  usage: TokenUsage = NO_USAGE;

  constructor(
    private readonly includeUsage: boolean,
    private readonly chunks?: ChunkHandler,
  ) {
    super();
  }

  protected translate(events: Buffer[]): string | Buffer {
    if (this.chunks) return this.handOver(events, this.chunks);
    let kept = events;
    for (const event of events) {
      if (event.indexOf(USAGE) >= 0 && this.readUsage(event) && !this.includeUsage) kept = kept.filter((e) => e !== event);
      else if (event.length <= DONE_EVENT_MAX && event.indexOf(DONE) >= 0 && eventData(event) === '[DONE]') this.complete = true;
    }
    return joinEvents(kept);
  }

  /** Each event parsed once (not written for the API's translator to split and parse again). */
  private handOver(events: Buffer[], chunks: ChunkHandler): string {
    let out = '';
    for (const event of events) {
      const data = eventData(event);
      if (!data) continue;
      if (data === '[DONE]') {
        this.complete = true;
        out += SSE_DONE;
        continue;
      }
      const chunk = parseChunk(data);
      // OpenAI reports a failure inside a stream as an error object: handled like the status it stands for.
      if (chunk.error) throw new UpstreamFailure('status', streamErrorStatus(chunk.error), data);
      if (chunk.usage) this.usage = fromOpenAIUsage(chunk.usage);
      if (this.includeUsage || !(Array.isArray(chunk.choices) && chunk.choices.length === 0)) chunks(chunk);
    }
    return out;
  }

  /** True when the event is the usage-only chunk (empty `choices`). */
  private readUsage(event: Buffer): boolean {
    const open = event.indexOf(OPEN);
    const usage = usageMember(event.subarray(open));
    if (usage === undefined) return false;
    this.usage = fromOpenAIUsage(usage);
    const choices = valueRange(event, open, CHOICES);
    return choices !== undefined && isEmptyArray(event, choices[0], choices[1]);
  }
}

/** A chunk's JSON; one that does not parse is the end of a stream cut inside an event, as the byte path reports it. */
function parseChunk(data: string): Record<string, any> {
  try {
    return JSON.parse(data);
  } catch {
    throw new UpstreamFailure('reset');
  }
}

const OPEN = 0x7b;

/** Whether [start, end) of `b` is `[]`, with JSON whitespace inside or not. */
function isEmptyArray(b: Buffer, start: number, end: number): boolean {
  if (b[start] !== 0x5b || b[end - 1] !== 0x5d) return false;
  for (let i = start + 1; i < end - 1; i++) if (!isJsonSpace(b[i])) return false;
  return true;
}
