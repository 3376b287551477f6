// The way an API reaches a provider that does not speak it: through OpenAI chat, which every provider adapter
// speaks. The API translates its request to a chat request and the adapter's chat answers and chunks back;
// this module runs the adapter in between (a `Leg`), which hands the stream's chunks over parsed.
import type { Call } from '../call.ts';
import type { GatewayError } from '../errors.ts';
import { SSE_DONE } from '../http/sse.ts';
import type { ChunkHandler, OutgoingChat, StreamTranslator } from '../providers/adapter.ts';
import { UpstreamFailure } from '../providers/upstream-errors.ts';
import type { Candidate } from '../routing.ts';
import type { TokenUsage } from '../usage.ts';
import type { ApiRequest, Leg } from './api.ts';

/** An OpenAI `chat.completion` or `chat.completion.chunk`, parsed. */
export type ChatObject = Record<string, any>;

export interface PivotRequest extends ApiRequest {
  /** The chat request of the attempt under way (set by the leg, read back with its answer). */
  chat?: OutgoingChat;
}

/** An API's events made from a chat stream's chunks, in order. */
export interface ChunkSink {
  /** This API's events (SSE text) for one `chat.completion.chunk`, possibly none. */
  chunk(chunk: ChatObject): string;
  /** The closing events, once the chat stream is complete (`[DONE]`), with the stream's usage. */
  end(usage: TokenUsage): string;
  /** See `StreamTranslator.fail`. */
  fail?(error: GatewayError): string;
}

/** What an API provides to be served through chat. Each function may throw a 400 `GatewayError`. */
export interface ChatPivot<R extends PivotRequest> {
  /** The request as chat for this candidate (a 400 naming the field for what it cannot express). */
  toChat(call: Call, req: R, c: Candidate): OutgoingChat;
  /** A chat answer as this API's answer body; `usage` as the adapter read it. */
  fromChat(call: Call, req: R, completion: ChatObject, usage: TokenUsage): string;
  /** A new translator of chat chunks into this API's events, for one stream. */
  events(call: Call, req: R): ChunkSink;
}

export function chatPivotLeg<R extends PivotRequest>(pivot: ChatPivot<R>): Leg<R> {
  return {
    request(call, req, c) {
      req.chat = pivot.toChat(call, req, c);
      return c.provider.adapter.chat(req.chat, c.model);
    },
    answer(call, req, c, bytes) {
      const chat = c.provider.adapter.chatResponse(bytes, req.chat!, c.model);
      const completion = chat.completion ?? JSON.parse(chat.body.toString());
      return { body: pivot.fromChat(call, req, completion, chat.usage), usage: chat.usage };
    },
    // The adapter reads the usage chunk either way; without include_usage it keeps it to itself.
    stream: (call, req, c) =>
      new PivotStream((chunks) => c.provider.adapter.chatStream(false, req.chat!, c.model, chunks), pivot.events(call, req)),
  };
}

/**
 * The adapter's chat chunks handed to the API's sink as objects (`ChunkHandler`: none is encoded to be parsed
 * again); of its own output, only the closing `[DONE]` counts, which ends the sink's stream.
 */
class PivotStream implements StreamTranslator {
  private readonly inner: StreamTranslator;
  private done = false;
  /** The sink's events for the chunks the adapter handed over, not yet returned. */
  private made = '';

  constructor(
    open: (chunks: ChunkHandler) => StreamTranslator,
    private readonly sink: ChunkSink,
  ) {
    this.inner = open((chunk) => {
      this.made += sink.chunk(chunk);
    });
  }

  get usage(): TokenUsage {
    return this.inner.usage;
  }

  fail(error: GatewayError): string | undefined {
    return this.sink.fail?.(error);
  }

  push(chunk: Buffer): string {
    return this.translate(this.inner.push(chunk));
  }

  end(): string {
    const tail = this.translate(this.inner.end());
    if (!this.done) throw new UpstreamFailure('reset');
    return tail;
  }

  /** The events made from the chunks handed over, then the closing ones once the adapter wrote `[DONE]`. */
  private translate(written: string | Buffer | Buffer[]): string {
    let text = this.made;
    this.made = '';
    if (!this.done && (Array.isArray(written) ? written.some(closes) : closes(written))) {
      this.done = true;
      text += this.sink.end(this.inner.usage);
    }
    return text;
  }
}

const closes = (written: string | Buffer) => written.includes(SSE_DONE);
