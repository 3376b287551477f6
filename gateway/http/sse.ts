// Server-sent events: splitting a byte stream into whole events, reading their fields, writing them.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

const LF = 0x0a;
const CR = 0x0d;

/**
 * Cuts a chunked SSE byte stream into whole events (each with its blank-line terminator: `\n\n`, `\r\n\r\n` or a
 * mix), keeping the rest. Events stay bytes, views of the chunk when they lie within it: a translator decodes
 * only what it reads, and a character split across chunks needs no decoder. A partial event is held as chunks,
 * joined once its end arrives.
 */
export class SseSplitter {
  private held: Buffer[] = [];
  /** The last two bytes held, for a boundary that straddles chunks (-1: none). */
  private last = -1;
  private beforeLast = -1;

  push(chunk: Buffer): Buffer[] {
    const events: Buffer[] = [];
    let start = 0;
    for (let end = this.boundaryEnd(chunk, start); end > 0; end = this.boundaryEnd(chunk, start)) {
      if (this.held.length === 0) events.push(chunk.subarray(start, end));
      else {
        this.held.push(chunk.subarray(0, end));
        events.push(Buffer.concat(this.held));
        this.held = [];
      }
      start = end;
      this.last = this.beforeLast = -1;
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
    return events;
  }

  /** What is left when the stream ends: an unterminated last event, if any, terminated. */
  end(): Buffer[] {
    const rest = Buffer.concat(this.held);
    this.held = [];
    this.last = this.beforeLast = -1;
    return rest.toString('utf8').trim() ? [Buffer.concat([rest, Buffer.from('\n\n')])] : [];
  }

  private boundaryEnd(chunk: Buffer, from: number): number {
    return from === 0 ? boundaryEnd(chunk, 0, this.last, this.beforeLast) : boundaryEnd(chunk, from, -1, -1);
  }

  private hold(part: Buffer): void {
    // A copy: a view would keep the whole chunk it came from alive.
    this.held.push(Buffer.from(part));
    this.beforeLast = part.length > 1 ? part[part.length - 2] : this.last;
    this.last = part[part.length - 1];
  }
}

/**
 * Index just past the first blank line ending in `bytes` at or after `from`, -1 when none. A blank line is found
 * at its last LF, looking back over at most two bytes of the current event, which may lie before `bytes`
 * (`last`, `beforeLast`).
 */
function boundaryEnd(bytes: Buffer, from: number, last: number, beforeLast: number): number {
  for (let i = bytes.indexOf(LF, from); i >= 0; i = bytes.indexOf(LF, i + 1)) {
    const previous = byteAt(bytes, i - 1, from, last, beforeLast);
    if (previous === LF || (previous === CR && byteAt(bytes, i - 2, from, last, beforeLast) === LF)) return i + 1;
  }
  return -1;
}

/** Byte `i` of the event, which may be one of the two held before `bytes` (a plain function: this runs per line). */
function byteAt(bytes: Buffer, i: number, from: number, last: number, beforeLast: number): number {
  return i >= from ? bytes[i] : i === from - 1 ? last : i === from - 2 ? beforeLast : -1;
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

const DATA = Buffer.from('data:');
const NEXT_DATA = Buffer.from('\ndata:');

/**
 * An event's data (its `data:` lines joined, as `parseEvent` reads them), decoding only that line when there is
 * one: translators read every event of a stream, most of them one line of JSON.
 */
export function eventData(event: Buffer): string {
  let at = event.indexOf(DATA);
  while (at > 0 && event[at - 1] !== LF) at = event.indexOf(DATA, at + 1);
  if (at < 0) return '';
  const lineEnd = event.indexOf(LF, at);
  const end = lineEnd < 0 ? event.length : lineEnd;
  if (lineEnd >= 0 && event.indexOf(NEXT_DATA, lineEnd) >= 0) return parseEvent(event.toString('utf8')).data;
  const start = at + (event[at + DATA.length] === 0x20 ? DATA.length + 1 : DATA.length);
  return event.toString('utf8', start, end > start && event[end - 1] === CR ? end - 1 : end);
}

const EVENT = Buffer.from('event:');

/** The name on an event's first line when it is `event:` (Anthropic and OpenAI Responses name every event), without decoding the rest; '' when none. */
export function eventType(event: Buffer): string {
  if (event.length < EVENT.length || event.compare(EVENT, 0, EVENT.length, 0, EVENT.length) !== 0) return '';
  const end = event.indexOf(LF);
  return event.toString('latin1', EVENT.length, end < 0 ? event.length : end).trim();
}

/**
 * Which of `names` (ASCII, see `eventNames`) the name on an event's first line is, when that line is `event:`:
 * its index, -1 for another name or none. Compared as bytes, lengths first: the passthrough streams look at every
 * event's name and act on a few, so nothing is decoded for the rest.
 */
export function namedAs(event: Buffer, names: readonly Buffer[]): number {
  if (event.length < EVENT.length) return -1;
  for (let k = 0; k < EVENT.length; k++) if (event[k] !== EVENT[k]) return -1;
  let start = EVENT.length;
  let end = event.indexOf(LF, start);
  if (end < 0) end = event.length;
  while (start < end && isBlank(event[start])) start++;
  while (end > start && (isBlank(event[end - 1]) || event[end - 1] === CR)) end--;
  return nameAt(event, start, end, names);
}

/** Which of `names` the bytes [start, end) of `b` are: its index, -1 for none. */
export function nameAt(b: Buffer, start: number, end: number, names: readonly Buffer[]): number {
  next: for (let n = 0; n < names.length; n++) {
    const name = names[n];
    if (name.length !== end - start) continue;
    for (let k = 0; k < name.length; k++) if (b[start + k] !== name[k]) continue next;
    return n;
  }
  return -1;
}

/** Event names as `namedAs` takes them. */
export const eventNames = (...names: string[]): readonly Buffer[] => names.map((n) => Buffer.from(n, 'latin1'));

const isBlank = (c: number) => c === 0x20 || c === 0x09;

/**
 * Whole events as one buffer: the chunk they were cut from, without a copy, when they lie in it end to end (a
 * passthrough stream that changed none of them), else their concatenation.
 */
export function joinEvents(events: readonly Buffer[]): Buffer {
  if (events.length === 1) return events[0];
  if (events.length === 0) return EMPTY;
  const first = events[0];
  let end = first.byteOffset + first.length;
  for (let k = 1; k < events.length; k++) {
    const e = events[k];
    if (e.buffer !== first.buffer || e.byteOffset !== end) return Buffer.concat(events);
    end += e.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}

const EMPTY = Buffer.alloc(0);

export const sseData = (json: unknown) => `data: ${JSON.stringify(json)}\n\n`;
/** A named event (Anthropic's and OpenAI Responses' streams name every event). */
export const sseEvent = (event: string, json: unknown) => `event: ${event}\ndata: ${JSON.stringify(json)}\n\n`;
export const SSE_DONE = 'data: [DONE]\n\n';

/** Sends the status line and `headers` (the call's own, completed here) of an event stream. */
export function startSse(res: ServerResponse, headers: OutgoingHttpHeaders): void {
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-cache';
  headers['x-accel-buffering'] = 'no';
  res.writeHead(200, headers);
}
