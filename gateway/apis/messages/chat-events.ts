// Messages stream events synthesized from chat chunks: message_start and a ping, then for each run of text or
// each tool call a content block (content_block_start, text_delta or input_json_delta, content_block_stop), then
// message_delta with the stop reason and the usage, and message_stop.
import { sseEvent } from '../../http/sse.ts';
import { UpstreamFailure } from '../../providers/upstream-errors.ts';
import type { TokenUsage } from '../../usage.ts';
import type { Body } from '../api.ts';
import type { ChatObject, ChunkSink } from '../chat-pivot.ts';
import { anthropicUsage, messageId, type Stop, stopOf } from './from-chat.ts';

const PING = sseEvent('ping', { type: 'ping' });

export class MessageEvents implements ChunkSink {
  private started = false;
  /** Index of the last block started, and what is open: a text block, a tool call (its chat index), or nothing. */
  private block = -1;
  private open: 'text' | number | undefined;
  /** Chat tool-call index -> block index. */
  private readonly tools = new Map<number, number>();
  private stop: Stop = { stop_reason: 'end_turn', stop_sequence: null };

  constructor(
    private readonly model: string,
    private readonly stopSequences: unknown,
  ) {}

  chunk(chunk: ChatObject): string {
    let out = this.start(chunk.id);
    const choice = chunk.choices?.[0];
    if (!choice) return out; // the usage chunk: its counts come with `end`
    const delta = choice.delta ?? {};
    if (typeof delta.content === 'string' && delta.content) out += this.text(delta.content);
    if (typeof delta.refusal === 'string' && delta.refusal) {
      out += this.text(delta.refusal);
      this.stop = { stop_reason: 'refusal', stop_sequence: null };
    }
    for (const call of delta.tool_calls ?? []) out += this.toolCall(call);
    if (choice.finish_reason && this.stop.stop_reason !== 'refusal')
      this.stop = stopOf(choice.finish_reason, choice.stop_reason, this.stopSequences);
    return out;
  }

  end(usage: TokenUsage): string {
    return (
      this.start(undefined) +
      this.close() +
      sseEvent('message_delta', { type: 'message_delta', delta: this.stop, usage: anthropicUsage(usage) }) +
      sseEvent('message_stop', { type: 'message_stop' })
    );
  }

  /** message_start (its usage zero: chat counts come at the end, in message_delta) and a ping, once. */
  private start(chatId: unknown): string {
    if (this.started) return '';
    this.started = true;
    const message = {
      id: messageId(chatId),
      type: 'message',
      role: 'assistant',
      model: this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 0, output_tokens: 0 },
    };
    return sseEvent('message_start', { type: 'message_start', message }) + PING;
  }

  private text(text: string): string {
    let out = '';
    if (this.open !== 'text') {
      out = this.close() + this.startBlock({ type: 'text', text: '' });
      this.open = 'text';
    }
    // Written out (the bytes `delta` would make): one per chunk, the event most sent.
    return `${out}event: content_block_delta\ndata: {"type":"content_block_delta","index":${this.block},"delta":{"type":"text_delta","text":${JSON.stringify(text)}}}\n\n`;
  }

  /** A tool call's first chunk (with its id and name) starts a block; later chunks carry argument fragments. */
  private toolCall(call: Body): string {
    const index = typeof call.index === 'number' ? call.index : 0;
    let out = '';
    if (!this.tools.has(index)) {
      out = this.close() + this.startBlock({ type: 'tool_use', id: call.id, name: call.function?.name, input: {} });
      this.tools.set(index, this.block);
      this.open = index;
    } else if (this.open !== index) {
      // Anthropic's blocks cannot interleave: a server mixing its calls' arguments cannot be streamed as Messages.
      throw new UpstreamFailure('reset');
    }
    const fragment = call.function?.arguments;
    return typeof fragment === 'string' && fragment ? out + this.delta({ type: 'input_json_delta', partial_json: fragment }) : out;
  }

  private startBlock(content_block: Body): string {
    this.block++;
    return sseEvent('content_block_start', { type: 'content_block_start', index: this.block, content_block });
  }

  private delta(delta: Body): string {
    return sseEvent('content_block_delta', { type: 'content_block_delta', index: this.block, delta });
  }

  private close(): string {
    if (this.open === undefined) return '';
    this.open = undefined;
    return sseEvent('content_block_stop', { type: 'content_block_stop', index: this.block });
  }
}
