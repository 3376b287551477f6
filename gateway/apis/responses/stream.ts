// Chat SSE (`chat.completion.chunk` events, a usage chunk, `[DONE]`) as the Responses event stream:
// response.created, response.in_progress, an output item per message and tool call with its deltas, each item's
// done events, then response.completed (or response.incomplete) carrying the whole response with its usage.
import { GatewayError } from '../../errors.ts';
import { parseEvent, SseSplitter } from '../../http/sse.ts';
import type { TokenUsage } from '../../usage.ts';
import {
  customInput,
  customToolNames,
  draftResponse,
  finishedResponse,
  itemStatus,
  type ItemStatus,
  messageItem,
  newId,
  refusalPart,
  type ResponseContext,
  responseUsage,
  textPart,
  tokenUsage,
  toolCallItem,
} from './response.ts';
import type { Json, ResponseItem, ResponseObject } from './types.ts';

type PartType = 'output_text' | 'refusal';

interface MessageState {
  kind: 'message';
  index: number;
  id: string;
  parts: { type: PartType; text: string }[];
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

/** Ends a stream that stopped before `[DONE]`: a truncated answer must not look complete. */
export const STREAM_CUT = new GatewayError(502, 'api_error', 'upstream_unavailable', 'The provider ended its stream before the answer was complete.');

/**
 * One translated stream, in the shape of the providers' StreamTranslator: `push` each chunk of chat SSE and send
 * what it returns, `end` when the upstream ends (it throws when the stream was cut), then `response` holds the
 * finished Response for a store. The chat request must ask for the usage chunk (`toChat` does).
 */
export class ResponsesStreamTranslator {
  private readonly splitter = new SseSplitter();
  private readonly draft: ResponseObject;
  private readonly customTools: ReadonlySet<string>;
  private sequence = 0;
  private started = false;
  private complete = false;
  /** Output items in output order; all stay open until the end, as providers may interleave tool call deltas. */
  private readonly items: (MessageState | CallState)[] = [];
  private message: MessageState | undefined;
  /** Chat tool_calls index -> its item. */
  private readonly calls = new Map<number, CallState>();
  private finishReason: unknown = null;
  private chatUsage: unknown;
  private finished: ResponseObject | undefined;

  constructor(ctx: ResponseContext) {
    this.draft = draftResponse(ctx);
    this.customTools = customToolNames(ctx.request);
  }

  /** From the usage chunk, also when the stream failed after it. */
  get usage(): TokenUsage {
    return tokenUsage(responseUsage(this.chatUsage));
  }

  /** The finished Response once `end` returned; undefined for a stream that failed. */
  get response(): ResponseObject | undefined {
    return this.finished;
  }

  push(chunk: Buffer): string {
    let out = '';
    for (const raw of this.splitter.push(chunk)) out += this.event(raw);
    return out;
  }

  end(): string {
    let out = '';
    try {
      for (const raw of this.splitter.end()) out += this.event(raw);
    } catch (err) {
      // An unterminated last event that does not parse is where the stream was cut.
      if (!(err instanceof SyntaxError)) throw err;
    }
    if (!this.complete) throw STREAM_CUT;
    return out;
  }

  /**
   * The events that end a stream already under way with `error`: `response.failed` with the response so far (the
   * terminal event Codex and the Agents SDK read), then an `error` event whose nested `error` object makes the
   * official SDKs throw, as OpenAI's own mid-stream errors do. Before anything was sent, only the `error` event.
   */
  fail(error: GatewayError): string {
    const details = { code: error.code, message: error.message };
    let out = '';
    if (this.started) {
      const failed = { ...this.draft, status: 'failed', error: details, output: this.items.map((item) => this.item(item, 'incomplete')) };
      out += this.emit('response.failed', { response: failed });
    }
    return out + this.emit('error', { ...details, param: null, error: { type: error.type, ...details, param: null } });
  }

  private event(raw: Buffer): string {
    const { data } = parseEvent(raw.toString('utf8'));
    if (!data || this.complete) return '';
    if (data === '[DONE]') {
      this.complete = true;
      return this.start() + this.finish();
    }
    const chunk = JSON.parse(data) as Json;
    // An OpenAI-compatible server reports a failure mid-stream as a chunk with an `error` member.
    if (chunk.error) throw new GatewayError(502, 'api_error', 'upstream_error', 'The provider reported an error in the middle of its stream.');
    if (chunk.usage) this.chatUsage = chunk.usage;
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

  /** response.created and response.in_progress, before the first event that carries anything. */
  private start(): string {
    if (this.started) return '';
    this.started = true;
    return this.emit('response.created', { response: this.draft }) + this.emit('response.in_progress', { response: this.draft });
  }

  private partDelta(type: PartType, delta: string): string {
    let out = '';
    if (!this.message) {
      this.message = { kind: 'message', index: this.items.length, id: newId('msg'), parts: [] };
      this.items.push(this.message);
      out += this.emit('response.output_item.added', { output_index: this.message.index, item: messageItem(this.message.id, [], 'in_progress') });
    }
    const m = this.message;
    let contentIndex = m.parts.findIndex((p) => p.type === type);
    if (contentIndex < 0) {
      contentIndex = m.parts.push({ type, text: '' }) - 1;
      out += this.emit('response.content_part.added', { ...this.partRef(m, contentIndex), part: type === 'refusal' ? refusalPart('') : textPart('') });
    }
    if (!delta) return out;
    m.parts[contentIndex].text += delta;
    const event = type === 'refusal' ? 'response.refusal.delta' : 'response.output_text.delta';
    return out + this.emit(event, { ...this.partRef(m, contentIndex), delta, ...(type === 'refusal' ? {} : { logprobs: [] }) });
  }

  private callDelta(delta: Json): string {
    const index = typeof delta.index === 'number' ? delta.index : 0;
    const fn = (delta.function ?? {}) as Json;
    let out = '';
    let call = this.calls.get(index);
    if (!call) {
      const name = String(fn.name ?? '');
      const custom = this.customTools.has(name);
      call = { kind: 'call', index: this.items.length, id: newId(custom ? 'ctc' : 'fc'), custom, callId: String(delta.id ?? newId('call')), name, args: '' };
      this.calls.set(index, call);
      this.items.push(call);
      out += this.emit('response.output_item.added', { output_index: call.index, item: this.item(call, 'in_progress') });
    } else if (typeof fn.name === 'string') call.name += fn.name;
    if (typeof fn.arguments === 'string' && fn.arguments) {
      call.args += fn.arguments;
      if (!call.custom) out += this.emit('response.function_call_arguments.delta', { item_id: call.id, output_index: call.index, delta: fn.arguments });
    }
    return out;
  }

  /** Each item's done events in output order, then the terminal event with the whole response. */
  private finish(): string {
    let out = '';
    // An answer with neither text nor calls is still one (empty) message, as in `fromChatAnswer`.
    if (!this.items.length) out += this.partDelta('output_text', '');
    const status = itemStatus(this.finishReason);
    for (const item of this.items) {
      if (item.kind === 'message') {
        item.parts.forEach((part, contentIndex) => {
          const ref = this.partRef(item, contentIndex);
          out +=
            part.type === 'refusal'
              ? this.emit('response.refusal.done', { ...ref, refusal: part.text })
              : this.emit('response.output_text.done', { ...ref, text: part.text, logprobs: [] });
          out += this.emit('response.content_part.done', { ...ref, part: this.part(part) });
        });
      } else if (item.custom) {
        const input = customInput(item.args);
        const ref = { item_id: item.id, output_index: item.index };
        out += this.emit('response.custom_tool_call_input.delta', { ...ref, delta: input }) + this.emit('response.custom_tool_call_input.done', { ...ref, input });
      } else {
        out += this.emit('response.function_call_arguments.done', { item_id: item.id, output_index: item.index, name: item.name, arguments: item.args });
      }
      out += this.emit('response.output_item.done', { output_index: item.index, item: this.item(item, status) });
    }
    this.finished = finishedResponse(this.draft, this.finishReason, this.items.map((item) => this.item(item, status)), this.chatUsage);
    return out + this.emit(this.finished.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: this.finished });
  }

  private partRef(m: MessageState, contentIndex: number) {
    return { item_id: m.id, output_index: m.index, content_index: contentIndex };
  }

  private part(p: { type: PartType; text: string }): Json {
    return p.type === 'refusal' ? refusalPart(p.text) : textPart(p.text);
  }

  private item(item: MessageState | CallState, status: ItemStatus): ResponseItem {
    return item.kind === 'message'
      ? messageItem(item.id, item.parts.map((p) => this.part(p)), status)
      : toolCallItem(item.id, item.callId, item.name, item.args, status, item.custom);
  }

  private emit(type: string, fields: Json): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.sequence++, ...fields })}\n\n`;
  }
}
