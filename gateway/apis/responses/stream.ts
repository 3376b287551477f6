// Chat chunks (the pivot's stream, parsed) as the Responses event stream: response.created, response.in_progress,
// an output item per message and tool call with its deltas, each item's done events, then response.completed (or
// response.incomplete) carrying the whole response with its usage; after a failure, response.failed and `error`.
import type { GatewayError } from '../../errors.ts';
import type { TokenUsage } from '../../usage.ts';
import type { ChatObject, ChunkSink } from '../chat-pivot.ts';
import {
  callIdPrefix,
  chatToolNames,
  customInput,
  draftResponse,
  finishedResponse,
  itemStatus,
  type ItemStatus,
  messageItem,
  newId,
  refusalPart,
  type ResponseContext,
  textPart,
  type ToolName,
  toolCallItem,
} from './response.ts';
import type { Json, ResponseItem, ResponseObject } from './types.ts';

type PartType = 'output_text' | 'refusal';

interface PartState {
  type: PartType;
  text: string;
  /** `"item_id":…,"output_index":…,"content_index":…`: the part's reference, encoded once for all its deltas. */
  ref: string;
}

interface MessageState {
  kind: 'message';
  index: number;
  id: string;
  parts: PartState[];
}

interface CallState {
  kind: 'call';
  index: number;
  id: string;
  /** A custom tool's call: its text is unwrapped from the arguments at the end, and sent in one delta. */
  custom: boolean;
  callId: string;
  name: string;
  args: string;
}

/** One Responses event: its type on the `event:` line and in the data, with its sequence number. */
export const responsesEvent = (type: string, sequence: number, fields: Json): string =>
  encodedEvent(type, sequence, JSON.stringify(fields));

/**
 * The event whose data is `{ type, sequence_number, ...fields }` given the fields' JSON (`{...}`, with neither of
 * those keys): the same bytes, without copying the fields into a new object; a stream sends a dozen of these.
 */
function encodedEvent(type: string, sequence: number, fieldsJson: string): string {
  const rest = fieldsJson.length > 2 ? `,${fieldsJson.slice(1)}` : '}';
  return `event: ${type}\ndata: {"type":"${type}","sequence_number":${sequence}${rest}\n\n`;
}

/**
 * The events that end a stream already under way with `error`, numbered from `sequence`: `response.failed` with
 * the response so far (the terminal event Codex and the Agents SDK read), when the stream got as far as creating
 * it, then an `error` event whose nested `error` object makes the official SDKs throw, as OpenAI's own mid-stream
 * errors do.
 */
export function failureEvents(error: GatewayError, response: ResponseObject | undefined, sequence: number): string {
  const details = { code: error.code, message: error.message };
  const failed = response
    ? responsesEvent('response.failed', sequence++, { response: { ...response, status: 'failed', error: details } })
    : '';
  return failed + responsesEvent('error', sequence, { ...details, param: null, error: { type: error.type, ...details, param: null } });
}

/**
 * One translated stream, fed the chat chunks by the pivot; `done` gets the finished Response (for a store). The
 * pivot ends a stream cut before `[DONE]`, or failing, through `fail`.
 */
export class ResponsesStreamTranslator implements ChunkSink {
  private readonly draft: ResponseObject;
  /** `{"response":…}` with the draft: response.created and response.in_progress carry the same. */
  private draftJson = '';
  private readonly tools: ReadonlyMap<string, ToolName>;
  private sequence = 0;
  private started = false;
  /** Output items in output order; all stay open until the end, as providers may interleave tool call deltas. */
  private readonly items: (MessageState | CallState)[] = [];
  private message: MessageState | undefined;
  /** Chat tool_calls index -> its item. */
  private readonly calls = new Map<number, CallState>();
  private finishReason: unknown = null;

  constructor(
    ctx: ResponseContext,
    private readonly done: (response: ResponseObject) => void = () => {},
  ) {
    this.draft = draftResponse(ctx);
    this.tools = chatToolNames(ctx.request);
  }

  chunk(chunk: ChatObject): string {
    let out = this.start();
    const choice = (chunk.choices as Json[] | undefined)?.[0];
    if (!choice) return out;
    const delta = (choice.delta ?? {}) as Json;
    if (typeof delta.content === 'string' && delta.content) out += this.partDelta('output_text', delta.content);
    if (typeof delta.refusal === 'string' && delta.refusal) out += this.partDelta('refusal', delta.refusal);
    if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls as Json[]) out += this.callDelta(call);
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return out;
  }

  end(usage: TokenUsage): string {
    return this.start() + this.finish(usage);
  }

  fail(error: GatewayError): string {
    const soFar = this.started ? { ...this.draft, output: this.items.map((item) => this.item(item, 'incomplete')) } : undefined;
    return failureEvents(error, soFar, this.sequence);
  }

  /** response.created and response.in_progress, before the first event that carries anything. */
  private start(): string {
    if (this.started) return '';
    this.started = true;
    this.draftJson = `{"response":${JSON.stringify(this.draft)}}`;
    return this.emitEncoded('response.created', this.draftJson) + this.emitEncoded('response.in_progress', this.draftJson);
  }

  private partDelta(type: PartType, delta: string): string {
    let out = '';
    if (!this.message) {
      this.message = { kind: 'message', index: this.items.length, id: newId('msg'), parts: [] };
      this.items.push(this.message);
      out += this.emit('response.output_item.added', {
        output_index: this.message.index,
        item: messageItem(this.message.id, [], 'in_progress'),
      });
    }
    const m = this.message;
    let part = m.parts[0]?.type === type ? m.parts[0] : m.parts.find((p) => p.type === type);
    if (!part) {
      const ref = this.partRef(m, m.parts.length);
      part = { type, text: '', ref: JSON.stringify(ref).slice(1, -1) };
      m.parts.push(part);
      out += this.emit('response.content_part.added', { ...ref, part: type === 'refusal' ? refusalPart('') : textPart('') });
    }
    if (!delta) return out;
    part.text += delta;
    // The delta event's fields written out: one per chunk, the event most sent.
    return type === 'refusal'
      ? out + this.emitEncoded('response.refusal.delta', `{${part.ref},"delta":${JSON.stringify(delta)}}`)
      : out + this.emitEncoded('response.output_text.delta', `{${part.ref},"delta":${JSON.stringify(delta)},"logprobs":[]}`);
  }

  private callDelta(delta: Json): string {
    const index = typeof delta.index === 'number' ? delta.index : 0;
    const fn = (delta.function ?? {}) as Json;
    let out = '';
    let call = this.calls.get(index);
    if (!call) {
      const name = String(fn.name ?? '');
      const custom = this.tools.get(name)?.custom === true;
      call = {
        kind: 'call',
        index: this.items.length,
        id: newId(callIdPrefix(this.tools, name)),
        custom,
        callId: String(delta.id ?? newId('call')),
        name,
        args: '',
      };
      this.calls.set(index, call);
      this.items.push(call);
      out += this.emit('response.output_item.added', { output_index: call.index, item: this.item(call, 'in_progress') });
    } else if (typeof fn.name === 'string') call.name += fn.name;
    if (typeof fn.arguments === 'string' && fn.arguments) {
      call.args += fn.arguments;
      if (!call.custom)
        out += this.emit('response.function_call_arguments.delta', { item_id: call.id, output_index: call.index, delta: fn.arguments });
    }
    return out;
  }

  /** Each item's done events in output order, then the terminal event with the whole response. */
  private finish(usage: TokenUsage): string {
    let out = '';
    // An answer with neither text nor calls is still one (empty) message, as in `fromChatAnswer`.
    if (!this.items.length) out += this.partDelta('output_text', '');
    const status = itemStatus(this.finishReason);
    // Each item made once, for its output_item.done event and the response's output.
    const output = this.items.map((item) => this.item(item, status));
    this.items.forEach((item, i) => {
      if (item.kind === 'message') {
        for (const part of item.parts) {
          out +=
            part.type === 'refusal'
              ? this.emitEncoded('response.refusal.done', `{${part.ref},"refusal":${JSON.stringify(part.text)}}`)
              : this.emitEncoded('response.output_text.done', `{${part.ref},"text":${JSON.stringify(part.text)},"logprobs":[]}`);
          out += this.emitEncoded('response.content_part.done', `{${part.ref},"part":${JSON.stringify(this.part(part))}}`);
        }
      } else if (item.custom) {
        const input = customInput(item.args);
        const ref = { item_id: item.id, output_index: item.index };
        out +=
          this.emit('response.custom_tool_call_input.delta', { ...ref, delta: input }) +
          this.emit('response.custom_tool_call_input.done', { ...ref, input });
      } else {
        out += this.emit('response.function_call_arguments.done', {
          item_id: item.id,
          output_index: item.index,
          name: output[i].name,
          arguments: item.args,
        });
      }
      out += this.emit('response.output_item.done', { output_index: item.index, item: output[i] });
    });
    // A copy: the draft stays as the stream began, for the failure that may still end it.
    const finished = finishedResponse({ ...this.draft }, this.finishReason, output, usage);
    this.done(finished);
    return out + this.emit(finished.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: finished });
  }

  private partRef(m: MessageState, contentIndex: number) {
    return { item_id: m.id, output_index: m.index, content_index: contentIndex };
  }

  private part(p: PartState): Json {
    return p.type === 'refusal' ? refusalPart(p.text) : textPart(p.text);
  }

  private item(item: MessageState | CallState, status: ItemStatus): ResponseItem {
    return item.kind === 'message'
      ? messageItem(
          item.id,
          item.parts.map((p) => this.part(p)),
          status,
        )
      : toolCallItem(item.id, item.callId, item.name, item.args, status, this.tools);
  }

  private emit(type: string, fields: Json): string {
    return responsesEvent(type, this.sequence++, fields);
  }

  private emitEncoded(type: string, fieldsJson: string): string {
    return encodedEvent(type, this.sequence++, fieldsJson);
  }
}
