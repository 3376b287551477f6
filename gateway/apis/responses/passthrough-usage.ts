// Token usage of Responses answers passed through untouched (OpenAI and Azure providers): read, never rewritten.
import { parseEvent, SseSplitter } from '../../http/sse.ts';
import { NO_USAGE, type TokenUsage } from '../../usage.ts';
import { tokenUsage } from './response.ts';
import { STREAM_CUT } from './stream.ts';
import type { Json } from './types.ts';

/** The usage of a Responses JSON answer. Throws when the body is not JSON, for the caller's 502. */
export function usageFromResponse(body: Buffer): TokenUsage {
  return tokenUsage((JSON.parse(body.toString('utf8')) as Json | null)?.usage);
}

/** The events after which a Responses stream is over; the first three carry the response with its usage. */
const FINAL_TYPES = new Set(['response.completed', 'response.incomplete', 'response.failed', 'error']);
/** Byte patterns of those events, so that only they, and the rare delta that quotes one, are parsed. */
const FINAL_MARKERS = ['response.completed', 'response.incomplete', 'response.failed', '"type":"error"', 'event: error'];

/**
 * Relays a passed-through Responses stream byte for byte (`push` returns its chunk) and reads its usage from the
 * final event. Like the chat translators, `end` throws for a stream that stopped before its final event.
 */
export class ResponsesUsageReader {
  private readonly splitter = new SseSplitter();
  private complete = false;
  usage: TokenUsage = NO_USAGE;

  push(chunk: Buffer): Buffer {
    for (const raw of this.splitter.push(chunk)) this.read(raw);
    return chunk;
  }

  end(): Buffer {
    for (const raw of this.splitter.end()) this.read(raw);
    if (!this.complete) throw STREAM_CUT;
    return Buffer.alloc(0);
  }

  private read(raw: Buffer): void {
    if (!FINAL_MARKERS.some((marker) => raw.includes(marker))) return;
    let event: Json;
    try {
      event = JSON.parse(parseEvent(raw.toString('utf8')).data) as Json;
    } catch {
      return;
    }
    if (!FINAL_TYPES.has(event?.type as string)) return;
    this.complete = true;
    if (event.type !== 'error') this.usage = tokenUsage((event.response as Json | undefined)?.usage);
  }
}
