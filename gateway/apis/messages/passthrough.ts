// Messages to a provider that speaks them (Anthropic): the client's body goes out as its bytes came, apart from
// `model` and a capped `max_tokens` (see passthroughBody), with the client's `anthropic-version` and
// `anthropic-beta`. Answers and events come back as bytes, their `model` set to the id the client asked for;
// usage, cache tokens included, is read on the way.
import type { Call } from '../../call.ts';
import { eventData, eventNames, joinEvents, namedAs } from '../../http/sse.ts';
import { EventStreamTranslator, type NativeCall } from '../../providers/adapter.ts';
import { ERROR_STATUS } from '../../providers/anthropic-stream.ts';
import { isJsonObjectText } from '../../providers/openai.ts';
import { UpstreamFailure } from '../../providers/upstream-errors.ts';
import { fromAnthropicUsage, type TokenUsage, usageMember } from '../../usage.ts';
import type { Body, Leg } from '../api.ts';
import { jsonText, valueRange, withValue } from '../json-fields.ts';
import { forwardedHeaders, passthroughBody } from '../passthrough.ts';
import type { MessagesInput, MessagesRequest } from './request.ts';

const FORWARDED = ['anthropic-version', 'anthropic-beta'] as const;
const MODEL = ['model'];
const MESSAGE_MODEL = ['message', 'model'];

export const passthroughLeg: Leg<MessagesRequest> = {
  request: (call, req, c) =>
    nativeCall(call, req, c.provider.adapter.native!.messages!, { model: c.model.name, max_tokens: req.maxTokens, ...fittedThinking(req) }),
  answer(call, _req, _c, bytes) {
    if (!isJsonObjectText(bytes)) throw new Error('not a JSON object');
    return { body: withValue(bytes, 0, MODEL, jsonText(call.requestedModel!)), usage: fromAnthropicUsage(usageMember(bytes)) };
  },
  stream: (call) => new PassthroughEvents(jsonText(call.requestedModel!)),
};

/** A passthrough call with these top-level values set in the client's body, and its Anthropic headers. */
export function nativeCall(call: Call, req: MessagesInput, native: NativeCall, values: Record<string, unknown>) {
  return native(passthroughBody(req, values), forwardedHeaders(call, FORWARDED));
}

/** Anthropic's minimum thinking budget. */
const MIN_BUDGET = 1024;

/**
 * A thinking budget the route's max-tokens cap leaves no room for (Anthropic wants it below `max_tokens`), lowered
 * to fit; nothing when it fits, or when not even the minimum budget would (Anthropic then says so).
 */
function fittedThinking(req: MessagesRequest): { thinking?: Body } {
  const { thinking } = req.body;
  if (thinking?.type !== 'enabled' || !(thinking.budget_tokens >= req.maxTokens) || req.maxTokens - 1 < MIN_BUDGET) return {};
  return { thinking: { ...thinking, budget_tokens: req.maxTokens - 1 } };
}

/** The events the passthrough reads, by index in `NAMES`; the others (text deltas, mostly) pass unread. */
const NAMES = eventNames('message_start', 'message_delta', 'message_stop', 'error');
const [MESSAGE_START, MESSAGE_DELTA, MESSAGE_STOP, ERROR] = [0, 1, 2, 3];
const START_USAGE = ['message', 'usage'];
const DELTA_USAGE = ['usage'];

/**
 * Anthropic's events as they come, `message_start` renamed; usage from `message_start` and `message_delta`, of
 * which only the `usage` member is parsed.
 */
class PassthroughEvents extends EventStreamTranslator {
  private readonly raw: Record<string, unknown> = {};

  constructor(private readonly model: string) {
    super();
  }

  get usage(): TokenUsage {
    return fromAnthropicUsage(this.raw);
  }

  protected translate(events: Buffer[]): Buffer {
    for (let k = 0; k < events.length; k++) {
      const event = events[k];
      const name = namedAs(event, NAMES);
      if (name === MESSAGE_START || name === MESSAGE_DELTA) {
        const open = event.indexOf(OPEN);
        this.count(event, open, name === MESSAGE_START ? START_USAGE : DELTA_USAGE);
        if (name === MESSAGE_START) events[k] = withValue(event, open, MESSAGE_MODEL, this.model);
      } else if (name === MESSAGE_STOP) this.complete = true;
      else if (name === ERROR) {
        const data = eventData(event);
        // Handled like the HTTP error Anthropic would have sent had it known before the stream started.
        throw new UpstreamFailure('status', ERROR_STATUS[JSON.parse(data).error?.type] ?? 500, data);
      }
    }
    return joinEvents(events);
  }

  /** The token counts at `path` in the event's data: totals so far, a later count replaces an earlier one. */
  private count(event: Buffer, open: number, path: readonly string[]): void {
    const range = open < 0 ? undefined : valueRange(event, open, path);
    const usage = range && event[range[0]] === OPEN ? JSON.parse(event.toString('utf8', range[0], range[1])) : undefined;
    for (const field in usage) if (typeof usage[field] === 'number') this.raw[field] = usage[field];
  }
}

const OPEN = 0x7b;
