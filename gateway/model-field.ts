// The answer's `model` becomes the alias the client asked by, not the provider model the upstream echoes.
// Answers pass through as bytes, so the value is spliced in: the top-level `model` member is found by walking the
// object's members (values skipped, never decoded), and bytes are copied only when the value differs. Streams get
// the same on each `data:` line.
import type { Answer, StreamTranslator } from './providers/adapter.ts';

/** A chat answer carrying `model` as asked; the same answer when `model` is undefined. */
export function answerWithModel(answer: Answer, model: string | undefined): Answer {
  if (model === undefined) return answer;
  const bytes = bytesOf(answer.body);
  const span = modelValue(bytes, 0);
  return { body: splice(answer.body, bytes, span ? [span] : [], model), usage: answer.usage };
}

/** A stream translator whose events carry `model` as asked; the translator itself when `model` is undefined. */
export function streamWithModel(inner: StreamTranslator, model: string | undefined): StreamTranslator {
  if (model === undefined) return inner;
  return {
    push: (chunk) => eventsWithModel(inner.push(chunk), model),
    end: () => eventsWithModel(inner.end(), model),
    get usage() {
      return inner.usage;
    },
  };
}

/** Whole SSE events with the `model` of each `data:` line's JSON object set. */
export function eventsWithModel(events: string | Buffer, model: string): string | Buffer {
  if (events.length === 0) return events;
  const bytes = bytesOf(events);
  const spans: Span[] = [];
  for (let at = bytes.indexOf(DATA); at >= 0; at = bytes.indexOf(DATA, at + DATA.length)) {
    // A raw line break cannot occur inside JSON text, so `data:` after one starts a field, never string content.
    if (at > 0 && bytes[at - 1] !== LF && bytes[at - 1] !== CR) continue;
    const span = modelValue(bytes, bytes[at + DATA.length] === SPACE ? at + DATA.length + 1 : at + DATA.length);
    if (span) spans.push(span);
  }
  return splice(events, bytes, spans, model);
}

type Span = [start: number, end: number];

const bytesOf = (text: string | Buffer): Buffer => (typeof text === 'string' ? Buffer.from(text) : text);

/** `original` with each span replaced by `model` as a JSON string; `original` itself when nothing changes. */
function splice(original: string | Buffer, bytes: Buffer, spans: Span[], model: string): string | Buffer {
  const value = Buffer.from(JSON.stringify(model));
  const changed = spans.filter(([start, end]) => end - start !== value.length || bytes.compare(value, 0, value.length, start, end) !== 0);
  if (changed.length === 0) return original;
  const parts: Buffer[] = [];
  let from = 0;
  for (const [start, end] of changed) {
    parts.push(bytes.subarray(from, start), value);
    from = end;
  }
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}

const [TAB, LF, CR, SPACE, QUOTE, COMMA, COLON, BACKSLASH] = [0x09, 0x0a, 0x0d, 0x20, 0x22, 0x2c, 0x3a, 0x5c];
const [OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT] = [0x5b, 0x5d, 0x7b, 0x7d];
const DATA = Buffer.from('data:');
const MODEL_KEY = Buffer.from('"model"');

/**
 * The span of the string value of the top-level member `"model"` of the JSON object at `from` (quotes included),
 * or undefined: no such member, not a string, or not JSON (then nothing is touched).
 */
function modelValue(b: Buffer, from: number): Span | undefined {
  let i = skipSpace(b, from);
  if (b[i] !== OPEN_OBJECT) return undefined;
  i = skipSpace(b, i + 1);
  while (b[i] === QUOTE) {
    const keyEnd = stringEnd(b, i);
    if (keyEnd < 0) return undefined;
    const isModel = keyEnd - i === MODEL_KEY.length && b.compare(MODEL_KEY, 0, MODEL_KEY.length, i, keyEnd) === 0;
    i = skipSpace(b, keyEnd);
    if (b[i] !== COLON) return undefined;
    const start = skipSpace(b, i + 1);
    const end = valueEnd(b, start);
    if (end < 0) return undefined;
    if (isModel) return b[start] === QUOTE ? [start, end] : undefined;
    i = skipSpace(b, end);
    if (b[i] !== COMMA) return undefined;
    i = skipSpace(b, i + 1);
  }
  return undefined;
}

function skipSpace(b: Buffer, i: number): number {
  while (b[i] === SPACE || b[i] === LF || b[i] === CR || b[i] === TAB) i++;
  return i;
}

/** Just past the quote closing the string opened at `open` (one not escaped by an odd run of backslashes); -1 if none. */
function stringEnd(b: Buffer, open: number): number {
  for (let i = b.indexOf(QUOTE, open + 1); i >= 0; i = b.indexOf(QUOTE, i + 1)) {
    let backslashes = 0;
    while (b[i - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return i + 1;
  }
  return -1;
}

/** Just past the value starting at `start`: a string, an object or array (strings inside skipped whole), a literal. */
function valueEnd(b: Buffer, start: number): number {
  const first = b[start];
  if (first === QUOTE) return stringEnd(b, start);
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0;
    for (let i = start; i < b.length; i++) {
      const c = b[i];
      if (c === QUOTE) {
        i = stringEnd(b, i) - 1;
        if (i < 0) return -1;
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
      else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === 0) return i + 1;
    }
    return -1;
  }
  let i = start;
  while (i < b.length && b[i] !== COMMA && b[i] !== CLOSE_OBJECT && b[i] !== CLOSE_ARRAY && skipSpace(b, i) === i) i++;
  return i > start ? i : -1;
}
