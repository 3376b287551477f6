// What the gateway needs from a provider type: how to call it and how to read its answers as OpenAI's format,
// and which other APIs it speaks natively (passed through by the ingress APIs of gateway/apis).
import type { IRModel } from '../../compiler/ir/types.ts';
import type { GatewayError } from '../errors.ts';
import { SseSplitter } from '../http/sse.ts';
import type { TokenUsage } from '../usage.ts';
import { UpstreamFailure } from './upstream-errors.ts';

/** Where one upstream call goes; precomputed per provider model at config load. */
export interface Endpoint {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number;
  path: string;
  /** The Host header: the host name, and the port unless it is the scheme's default. */
  host: string;
}

export interface UpstreamCall {
  endpoint: Endpoint;
  /** Node's raw header list (name, value, name, value, ...), Host included: see `headerList`. */
  headers: string[];
  /** Empty for a request without a body. */
  body: string | Buffer;
  /** POST unless set (the MCP gateway also opens event streams and ends sessions). */
  method?: 'GET' | 'DELETE';
}

/** A non-streaming answer in OpenAI's format: the bytes to send (passed through or translated) and its usage. */
export interface Answer {
  body: Buffer | string;
  usage: TokenUsage;
  /** The `chat.completion` itself when the adapter made it: the chat pivot reads it rather than parsing `body`. */
  completion?: Record<string, any>;
}

/** An OpenAI-format request on its way out: the client's body (already redacted) and the route's decisions. */
export interface OutgoingChat {
  body: Record<string, any>;
  stream: boolean;
  /** The client asked for a final usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
  /** Effective `max_tokens` after the route's cap; undefined when neither side set one. */
  maxTokens: number | undefined;
}

/** Turns an upstream SSE byte stream into OpenAI `chat.completion.chunk` events. */
export interface StreamTranslator {
  /**
   * OpenAI-format SSE for this chunk, possibly empty: translated text, or the upstream's bytes when its events
   * pass unchanged. Throws an `UpstreamFailure` for an error event.
   */
  push(chunk: Buffer): string | Buffer;
  /** What is still owed at the end of the upstream stream (the `[DONE]` marker, a usage chunk). */
  end(): string | Buffer;
  readonly usage: TokenUsage;
  /**
   * The events that end this stream after `error`, for APIs whose error events continue the stream's state
   * (Responses: `response.failed` with the next sequence number); absent, or undefined, for the API's own event.
   */
  fail?(error: GatewayError): string | undefined;
  /** A last check of the whole answer once the upstream stream is over (guardrails): a refusal replaces its end. */
  verdict?(): Promise<GatewayError | undefined>;
}

/** A translator working on whole SSE events, whatever the chunking of the bytes. */
export abstract class EventStreamTranslator implements StreamTranslator {
  private readonly splitter = new SseSplitter();
  abstract readonly usage: TokenUsage;
  /** Set by `translate` on the event that closes a complete stream (`[DONE]`, `message_stop`). */
  protected complete = false;

  push(chunk: Buffer): string | Buffer {
    return this.translate(this.splitter.push(chunk));
  }

  end(): string | Buffer {
    const tail = this.translate(this.splitter.end());
    // A stream that stops before its closing event was cut short, even when its connection ended cleanly:
    // passing it on as it is would make a truncated answer look complete.
    if (!this.complete) throw new UpstreamFailure('reset');
    return tail;
  }

  /** OpenAI-format SSE for these whole events (each with its blank-line terminator). */
  protected abstract translate(events: Buffer[]): string | Buffer;
}

/**
 * Operations of a provider's own API that an ingress API passes through (the provider speaks it natively):
 * `messages` and `messages.count_tokens` (Anthropic's `/v1/messages` and `/v1/messages/count_tokens`),
 * `responses` (OpenAI's and Azure's `/responses`).
 */
export type NativeOperation = 'messages' | 'messages.count_tokens' | 'responses';

/**
 * A passthrough call: the body as it goes out (model already mapped) and request headers the client sent that
 * the provider's API defines (`anthropic-version`, `anthropic-beta`, `openai-beta`), replacing the provider's own.
 */
export type NativeCall = (body: string | Buffer, forwarded: Readonly<Record<string, string>>) => UpstreamCall;

/** Takes one `chat.completion.chunk`, as an object. */
export type ChunkHandler = (chunk: Record<string, unknown>) => void;

export interface ProviderAdapter {
  /** A promise when the call must be signed first (SigV4 hashes asynchronously). */
  chat(req: OutgoingChat, model: IRModel): UpstreamCall | Promise<UpstreamCall>;
  /** Undefined when the provider type has no embeddings API. */
  embeddings?: (body: Record<string, any>, model: IRModel) => UpstreamCall;
  /** A 2xx non-streaming chat answer as an OpenAI `chat.completion`, with its usage; `req` is what was sent to `model`. */
  chatResponse(body: Buffer, req: OutgoingChat, model: IRModel): Answer;
  /**
   * `chunks`: where an API that translates the chat stream further (gateway/apis/chat-pivot.ts) takes its chunks
   * as objects; the translator hands them there (made, or parsed from the provider's events) instead of writing
   * them, and writes only the closing `[DONE]`.
   */
  chatStream(includeUsage: boolean, req: OutgoingChat, model: IRModel, chunks?: ChunkHandler): StreamTranslator;
  /**
   * A provider's error answer restated as `failureError` reads one (OpenAI's error shape, the wait in
   * `retryAfter`, the status its meaning has elsewhere); absent when the provider already speaks so.
   */
  failure?(f: UpstreamFailure): UpstreamFailure;
  /** The provider's own API, for ingress APIs it speaks natively. */
  native?: Partial<Record<NativeOperation, NativeCall>>;
}

export function endpoint(url: string): Endpoint {
  const u = new URL(url);
  const protocol = u.protocol === 'https:' ? 'https:' : 'http:';
  return {
    protocol,
    hostname: u.hostname,
    port: Number(u.port) || (protocol === 'https:' ? 443 : 80),
    path: u.pathname + u.search,
    host: u.host,
  };
}

/**
 * A provider's fixed request headers as Node's raw list, Host first. Node writes a raw list as it is, without
 * the per-header bookkeeping of a header object, but then adds no Host of its own. Names match regardless of
 * case and the last one wins, as with `setHeader`, so a configured Host replaces the URL's.
 */
export function headerList(origin: Endpoint, headers: Record<string, string>): readonly string[] {
  const byName = new Map<string, [string, string]>();
  for (const [name, value] of Object.entries({ host: origin.host, ...headers })) byName.set(name.toLowerCase(), [name, value]);
  return [...byName.values()].flat();
}

/**
 * `list` (from `headerList`) with `headers` set in it, names matched regardless of case; `list` itself when there
 * are none. Per request, where `headerList` is made once per provider.
 */
export function withHeaders(list: readonly string[], headers: Readonly<Record<string, string>>): readonly string[] {
  let out: string[] | undefined;
  for (const name in headers) {
    out ??= [...list];
    const lower = name.toLowerCase();
    let i = 0;
    while (i < out.length && out[i]!.toLowerCase() !== lower) i += 2;
    out[i] = name;
    out[i + 1] = headers[name]!;
  }
  return out ?? list;
}

/** A JSON POST: the provider's headers (from `headerList`) and the body's length. */
export function jsonCall(target: Endpoint, headers: readonly string[], body: string | Buffer): UpstreamCall {
  return { endpoint: target, headers: [...headers, 'content-length', String(Buffer.byteLength(body))], body };
}
