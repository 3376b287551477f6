// The texts of an answer a response-side guardrail checks, for every API alike: the string values of `content`
// and `text` members of its JSON (chat's `message.content`, Messages' `content[].text`, Responses'
// `output[].content[].text`), and in streams the text deltas of chat chunks, Messages and Responses events.

/** Where a text sits, so that a mask can write it back. */
export interface Slot {
  holder: Record<string, unknown>;
  key: string;
}

const TEXT_KEYS = new Set(['content', 'text']);

/**
 * `every`: each string is answer text (a prompt's structured answer is the model's own JSON object, whose
 * members are the prompt's, not an API's). Arrays are walked like objects, their indices as keys.
 */
export function answerSlots(value: unknown, every = false, out: Slot[] = []): Slot[] {
  if (value !== null && typeof value === 'object') {
    const holder = value as Record<string, unknown>;
    for (const key of Object.keys(holder)) {
      const v = holder[key];
      if (typeof v === 'string') {
        if (every || TEXT_KEYS.has(key)) out.push({ holder, key });
      } else if (typeof v === 'object') answerSlots(v, every, out);
    }
  }
  return out;
}

/**
 * The text deltas of a run of SSE events in any of the ingress APIs' stream formats. One search for `"delta"`
 * per event, not a split into lines and a search per line: this is most of what a stream guard costs.
 */
export function eventTexts(events: string): string {
  // Most events of every format carry `delta`; those without it (usage, stop, [DONE]) are skipped unparsed.
  let at = deltaAt(events, 0);
  let text = '';
  let start = 0;
  while (at >= 0) {
    let end = events.indexOf('\n', start);
    while (end >= 0 && end < at) end = events.indexOf('\n', (start = end + 1));
    if (end < 0) end = events.length;
    // The next `"delta"`, which also tells whether this line has another one.
    const next = deltaAt(events, at + DELTA.length);
    const alone = next < 0 || next > end;
    if (events.startsWith('data:', start)) {
      text += (alone ? usualDelta(events, start, at, end) : undefined) ?? parsedDelta(events.slice(start, end));
    }
    at = alone ? next : deltaAt(events, end);
    start = end + 1;
  }
  return text;
}

/** Where the next `"delta"` from `from` starts: found by its `delta"`, as a quote is too common in JSON to search for. */
function deltaAt(events: string, from: number): number {
  for (let at = events.indexOf('delta"', from + 1); at >= 0; at = events.indexOf('delta"', at + 1)) {
    if (events.charCodeAt(at - 1) === QUOTE) return at - 1;
  }
  return -1;
}

const DELTA = '"delta"';

/**
 * The delta of an event line (`start` to `end` of `events`) in the shape the usual servers write (no spaces, one
 * `delta`, its text the first member), `at` the place of its one `"delta"`: read without parsing the event.
 * Undefined for any other shape. A `"delta"` with both quotes bare is a member name, never inside a string (where
 * its quotes would be escaped).
 */
function usualDelta(events: string, start: number, at: number, end: number): string | undefined {
  const after = at + DELTA.length + 1;
  if (events.charCodeAt(after - 1) !== COLON) return undefined;
  if (events.charCodeAt(after) === BRACE && events.charCodeAt(after + 1) === CLOSING_BRACE) return ''; // a chat chunk that only ends the answer
  const from = textStart(events, start, at, end);
  if (from < 0) return undefined;
  // JSON strings hold no raw line break: the first quote not escaped ends the text, within the line.
  const quote = events.indexOf('"', from);
  if (quote < 0 || quote > end) return undefined;
  // A backslash is looked for up to that quote only: a search of the rest of the run would cost as much per event.
  let backslash = from;
  while (backslash < quote && events.charCodeAt(backslash) !== BACKSLASH) backslash++;
  if (backslash === quote) return events.slice(from, quote);
  for (let i = backslash; i < end; i++) {
    const c = events.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return JSON.parse(`"${events.slice(from, i)}"`) as string;
  }
  return undefined;
}

/**
 * Where the text starts in a usual event whose `"delta"` is at `at`; -1 for another shape. The prefixes are tried
 * as sticky patterns: V8's `startsWith` costs several times a sticky `test` on prefixes this long.
 */
function textStart(events: string, start: number, at: number, end: number): number {
  for (const prefix of USUAL_PREFIXES) {
    prefix.text.lastIndex = at;
    if (!prefix.text.test(events)) continue;
    if (prefix.type !== undefined) {
      const typed = events.indexOf(prefix.type, start);
      if (typed < 0 || typed > end) continue;
    }
    return prefix.text.lastIndex;
  }
  return -1;
}

const [QUOTE, BACKSLASH, COLON, BRACE, CLOSING_BRACE] = [0x22, 0x5c, 0x3a, 0x7b, 0x7d];

/** Where the text starts in the usual events: chat chunks, Messages' text deltas, Responses' output text deltas. */
const USUAL_PREFIXES: { text: RegExp; type?: string }[] = [
  { text: /"delta":\{(?:"role":"assistant",)?"content":"/y },
  { text: /"delta":\{"type":"text_delta","text":"/y, type: '"type":"content_block_delta"' },
  { text: /"delta":"/y, type: '"type":"response.output_text.delta"' },
];

/** The same, for any event: parsed. */
function parsedDelta(line: string): string {
  let event: any;
  try {
    event = JSON.parse(line.slice(5));
  } catch {
    return '';
  }
  let text = '';
  if (Array.isArray(event?.choices)) {
    for (const choice of event.choices) if (typeof choice?.delta?.content === 'string') text += choice.delta.content;
  } else if (event?.type === 'content_block_delta' && typeof event.delta?.text === 'string') text += event.delta.text;
  else if (event?.type === 'response.output_text.delta' && typeof event.delta === 'string') text += event.delta;
  return text;
}
