// Messages to a provider that speaks them (Anthropic): the client's body goes out as its bytes came, apart from
// `model` and a capped `max_tokens` (see passthroughBody), with the client's `anthropic-version` and
// `anthropic-beta`. Answers and events come back as bytes, their `model` set to the id the client asked for;
// usage, cache tokens included, is read on the way.
import type { Call } from '../../call.ts';
import { eventType, eventData } from '../../http/sse.ts';
import { EventStreamTranslator, type NativeCall } from '../../providers/adapter.ts';
import { ERROR_STATUS } from '../../providers/anthropic-stream.ts';
import { isJsonObjectText } from '../../providers/openai.ts';
import { UpstreamFailure } from '../../providers/upstream-errors.ts';
import { fromAnthropicUsage, type TokenUsage, usageMember } from '../../usage.ts';
import type { Body, Leg } from '../api.ts';
import { jsonText, withValue } from '../json-fields.ts';
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

/** Anthropic's events as they come, `message_start` renamed; usage from `message_start` and `message_delta`. */
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
      const type = eventType(event);
      if (type === 'message_start' || type === 'message_delta') {
        const data = JSON.parse(eventData(event));
        // Totals so far: a later count replaces an earlier one, a missing one keeps it.
        for (const [field, n] of Object.entries((type === 'message_start' ? data.message?.usage : data.usage) ?? {}))
          if (typeof n === 'number') this.raw[field] = n;
        if (type === 'message_start') events[k] = withValue(event, event.indexOf('{'), MESSAGE_MODEL, this.model);
      } else if (type === 'message_stop') this.complete = true;
      else if (type === 'error') {
        const data = eventData(event);
        // Handled like the HTTP error Anthropic would have sent had it known before the stream started.
        throw new UpstreamFailure('status', ERROR_STATUS[JSON.parse(data).error?.type] ?? 500, data);
      }
    }
    return events.length === 1 ? events[0] : Buffer.concat(events);
  }
}
