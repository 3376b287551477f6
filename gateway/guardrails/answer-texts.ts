// The texts of an answer a response-side guardrail checks, for every API alike: the string values of `content`
// and `text` members of its JSON (chat's `message.content`, Messages' `content[].text`, Responses'
// `output[].content[].text`), and in streams the text deltas of chat chunks, Messages and Responses events.

/** Where a text sits, so that a mask can write it back. */
interface Slot {
  holder: Record<string, unknown>;
  key: string;
}

const TEXT_KEYS = new Set(['content', 'text']);

export function answerSlots(value: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) for (const item of value) answerSlots(item, out);
  else if (value !== null && typeof value === 'object') {
    const holder = value as Record<string, unknown>;
    for (const key of Object.keys(holder)) {
      const v = holder[key];
      if (typeof v === 'string') {
        if (TEXT_KEYS.has(key)) out.push({ holder, key });
      } else if (typeof v === 'object') answerSlots(v, out);
    }
  }
  return out;
}

/** The text deltas of a run of SSE events in any of the ingress APIs' stream formats. */
export function eventTexts(events: string): string {
  // Most events of every format carry `delta`; those without it (usage, stop, [DONE]) are skipped unparsed.
  if (!events.includes('"delta"')) return '';
  let text = '';
  for (const line of events.split('\n')) {
    if (!line.startsWith('data:') || !line.includes('"delta"')) continue;
    let event: any;
    try {
      event = JSON.parse(line.slice(5));
    } catch {
      continue;
    }
    if (Array.isArray(event?.choices)) {
      for (const choice of event.choices) if (typeof choice?.delta?.content === 'string') text += choice.delta.content;
    } else if (event?.type === 'content_block_delta' && typeof event.delta?.text === 'string') text += event.delta.text;
    else if (event?.type === 'response.output_text.delta' && typeof event.delta === 'string') text += event.delta;
  }
  return text;
}
