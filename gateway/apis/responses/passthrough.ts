// Responses to a provider that speaks them (OpenAI, Azure OpenAI): the client's body goes out as its bytes came,
// apart from `model`, `store: false` and a capped `max_output_tokens` (see passthroughBody). OpenAI's own store
// would serve `previous_response_id` to every consumer sharing the gateway's key, so it is never used: conversation
// state is the gateway's (`previous_response_id` expanded into `input`). Answers and events come back as bytes,
// with the Response's `model` (and `store`, `previous_response_id`, when the gateway keeps or continued it) set
// as the client sees them; usage is read on the way.
import type { Call } from '../../call.ts';
import type { GatewayError } from '../../errors.ts';
import { eventData, eventNames, joinEvents, nameAt, namedAs } from '../../http/sse.ts';
import { EventStreamTranslator } from '../../providers/adapter.ts';
import { isJsonObjectText } from '../../providers/openai.ts';
import { streamErrorStatus, UpstreamFailure } from '../../providers/upstream-errors.ts';
import { NO_USAGE, type TokenUsage, usageMember } from '../../usage.ts';
import type { Leg } from '../api.ts';
import { jsonText, valueRange, withValue } from '../json-fields.ts';
import { passthroughBody } from '../passthrough.ts';
import { inputItems, type ResponsesApiRequest } from './request.ts';
import { tokenUsage } from './response.ts';
import { failureEvents } from './stream.ts';
import type { Json, ResponseObject } from './types.ts';

export const passthroughLeg: Leg<ResponsesApiRequest> = {
  request(call, req, c) {
    call.note(undefined);
    const values: Json = { model: c.model.deployment ?? c.model.name, store: false };
    if (req.capped) values.max_output_tokens = req.maxTokens;
    // A reasoning item handed back to a store-less OpenAI must carry its reasoning: the gateway's store keeps it whole.
    if (req.stored && c.model.reasoning)
      values.include = [...new Set([...(Array.isArray(req.body.include) ? req.body.include : []), ENCRYPTED_REASONING])];
    if (req.body.previous_response_id)
      Object.assign(values, { input: [...req.history, ...inputItems(req.body)], previous_response_id: null });
    return c.provider.adapter.native!.responses!(passthroughBody(req, values), {});
  },
  answer(call, req, _c, bytes) {
    if (!isJsonObjectText(bytes)) throw new Error('not a JSON object');
    let body = bytes;
    for (const [path, json] of answerFields(call, req)) body = withValue(body, 0, path, json);
    if (req.stored) req.response = JSON.parse(body.toString('utf8')) as ResponseObject;
    return { body, usage: tokenUsage(usageMember(bytes)) };
  },
  stream: (call, req) => new PassthroughEvents(answerFields(call, req), req),
};

const ENCRYPTED_REASONING = 'reasoning.encrypted_content';

/** The members of the Response set as the client sees them: JSON text at each path. */
function answerFields(call: Call, req: ResponsesApiRequest): [path: string[], json: string][] {
  const fields: [string[], string][] = [[['model'], jsonText(call.requestedModel!)]];
  if (req.stored) fields.push([['store'], 'true']);
  if (req.body.previous_response_id) fields.push([['previous_response_id'], JSON.stringify(req.body.previous_response_id)]);
  return fields;
}

/**
 * The events the passthrough reads, by index in `NAMES`: those that carry the Response (its `model`, ...), among
 * them the final ones that end a complete stream, and the failures. The others (deltas, mostly) pass unread.
 */
const NAMES = eventNames(
  'response.created',
  'response.queued',
  'response.in_progress',
  'response.completed',
  'response.incomplete',
  'response.failed',
  'error',
);
const [CREATED, COMPLETED, INCOMPLETE, FAILED, ERROR] = [0, 3, 4, 5, 6];
const TYPE = ['type'];
const USAGE = ['response', 'usage'];

/**
 * OpenAI's events as they come, the Response in those that carry it renamed (see `answerFields`); usage from the
 * final one (the whole Response parsed only when the gateway keeps it). A `response.failed` or `error` event is
 * handled like the status it stands for (retried while nothing reached the client); `fail` then continues the
 * stream's sequence numbers.
 */
class PassthroughEvents extends EventStreamTranslator {
  usage: TokenUsage = NO_USAGE;
  /** The sequence number of the next event: OpenAI numbers them from 0. */
  private sequence = 0;
  /** `response.created` as sent, parsed only when the stream fails. */
  private created: Buffer | undefined;

  constructor(
    private readonly fields: [string[], string][],
    private readonly req: ResponsesApiRequest,
  ) {
    super();
  }

  fail(error: GatewayError): string {
    const response = this.created && (JSON.parse(eventData(this.created)) as Json).response;
    return failureEvents(error, response as ResponseObject | undefined, this.sequence);
  }

  protected translate(events: Buffer[]): Buffer {
    for (let k = 0; k < events.length; k++) {
      const name = nameOf(events[k]);
      if (name === FAILED || name === ERROR) throw this.failure(events[k], name);
      if (name >= 0) events[k] = this.renamed(events[k], name);
      this.sequence++;
    }
    return joinEvents(events);
  }

  private renamed(event: Buffer, name: number): Buffer {
    const open = event.indexOf('{');
    for (const [path, json] of this.fields) event = withValue(event, open, ['response', ...path], json);
    if (name === CREATED) this.created = event;
    if (name === COMPLETED || name === INCOMPLETE) {
      if (this.req.stored) {
        const response = (JSON.parse(eventData(event)) as Json).response as ResponseObject;
        this.usage = tokenUsage(response?.usage);
        this.req.response = response;
      } else {
        const range = valueRange(event, open, USAGE);
        this.usage = tokenUsage(range && JSON.parse(event.toString('utf8', range[0], range[1])));
      }
      this.complete = true;
    }
    return event;
  }

  private failure(event: Buffer, name: number): UpstreamFailure {
    const data = JSON.parse(eventData(event)) as Json;
    const error = ((name === ERROR ? (data.error ?? data) : (data.response as Json | undefined)?.error) ?? {}) as Json;
    return new UpstreamFailure('status', streamErrorStatus(error), JSON.stringify({ error }));
  }
}

/** Which of `NAMES` an event is: by its `event:` line, else by the `type` member its data starts with; -1 for none. */
function nameOf(event: Buffer): number {
  if (event[0] === E) return namedAs(event, NAMES);
  const range = valueRange(event, event.indexOf('{'), TYPE);
  return range ? nameAt(event, range[0] + 1, range[1] - 1, NAMES) : -1;
}

const E = 0x65;
