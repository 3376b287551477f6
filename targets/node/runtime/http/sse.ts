// Server-sent events: splitting a byte stream into whole events, reading their fields, writing them.
import type { ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';

const BOUNDARY = /\r?\n\r?\n/g;

/** Cuts a chunked SSE byte stream into whole events (each with its blank-line terminator), keeping the rest. */
export class SseSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  push(chunk: Buffer): string[] {
    const text = this.rest + this.decoder.write(chunk);
    const events: string[] = [];
    let start = 0;
    BOUNDARY.lastIndex = 0;
    for (let m = BOUNDARY.exec(text); m; m = BOUNDARY.exec(text)) {
      const end = m.index + m[0].length;
      events.push(text.slice(start, end));
      start = end;
    }
    this.rest = text.slice(start);
    return events;
  }

  /** What is left when the stream ends: an unterminated last event, if any. */
  end(): string[] {
    const rest = this.rest + this.decoder.end();
    this.rest = '';
    return rest.trim() ? [`${rest}\n\n`] : [];
  }
}

export interface SseEvent {
  event?: string;
  data: string;
}

export function parseEvent(raw: string): SseEvent {
  let event: string | undefined;
  const data: string[] = [];
  for (const line of raw.split(/\r?\n/)) {
    if (line.startsWith('data:')) data.push(line.slice(line[5] === ' ' ? 6 : 5));
    else if (line.startsWith('event:')) event = line.slice(6).trim();
  }
  return { event, data: data.join('\n') };
}

export const sseData = (json: unknown) => `data: ${JSON.stringify(json)}\n\n`;
export const SSE_DONE = 'data: [DONE]\n\n';

export function startSse(res: ServerResponse, headers: Record<string, string | number>): void {
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
}
