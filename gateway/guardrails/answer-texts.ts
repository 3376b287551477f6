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
      const line = events.slice(start, end);
      text += (alone ? usualDelta(line, at - start) : undefined) ?? parsedDelta(line);
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
 * The delta of an event in the shape the usual servers write (no spaces, one `delta`, its text the first member),
 * `at` the place of its one `"delta"`: read without parsing the event. Undefined for any other shape. A `"delta"`
 * with both quotes bare is a member name, never inside a string (where its quotes would be escaped).
 */
function usualDelta(line: string, at: number): string | undefined {
  if (line.charCodeAt(at + DELTA.length) !== COLON) return undefined;
  if (line.startsWith('"delta":{}', at)) return ''; // a chat chunk that only ends the answer
  let from = -1;
  for (const prefix of USUAL_PREFIXES) {
    if (line.startsWith(prefix.text, at) && (prefix.type === undefined || line.includes(prefix.type))) {
      from = at + prefix.text.length;
      break;
    }
  }
  if (from < 0) return undefined;
  let escaped = false;
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === BACKSLASH) {
      escaped = true;
      i++;
    } else if (c === QUOTE) {
      const raw = line.slice(from, i);
      return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
    }
  }
  return undefined;
}

const [QUOTE, BACKSLASH, COLON] = [0x22, 0x5c, 0x3a];

/** Where the text starts in the usual events: chat chunks, Messages' text deltas, Responses' output text deltas. */
const USUAL_PREFIXES: { text: string; type?: string }[] = [
  { text: '"delta":{"content":"' },
  { text: '"delta":{"role":"assistant","content":"' },
  { text: '"delta":{"type":"text_delta","text":"', type: '"type":"content_block_delta"' },
  { text: '"delta":"', type: '"type":"response.output_text.delta"' },
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
