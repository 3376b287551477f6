// Anthropic's stream (message_start, content_block_start/delta/stop, message_delta, message_stop) as OpenAI
// `chat.completion.chunk` events, ending with a usage chunk when asked for and `[DONE]`.
import { eventData } from '../http/sse.ts';
import { fromAnthropicUsage, type TokenUsage } from '../usage.ts';
import { type ChunkHandler, EventStreamTranslator, type OutgoingChat } from './adapter.ts';
import { finishReason, jsonTool, openAIUsage } from './anthropic-translate.ts';
import { ChunkWriter } from './openai-chat.ts';
import { UpstreamFailure } from './upstream-errors.ts';

/** The HTTP status Anthropic uses for each error type, for errors that arrive inside a 200 stream. */
export const ERROR_STATUS: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

export class AnthropicStream extends EventStreamTranslator {
  private readonly out: ChunkWriter;
  private rawUsage: Record<string, number> = {};
  /** Anthropic content-block index -> OpenAI tool_calls index. */
  private readonly toolIndex = new Map<number, number>();
  /** The forced tool standing for `response_format` (its input is streamed as text), and its block's index. */
  private readonly jsonTool: string | undefined;
  private jsonBlock = -1;

  constructor(includeUsage: boolean, req: OutgoingChat, chunks?: ChunkHandler) {
    super();
    this.out = new ChunkWriter(includeUsage, chunks);
    this.jsonTool = jsonTool(req.body)?.name;
  }

  get usage(): TokenUsage {
    return fromAnthropicUsage(this.rawUsage);
  }

  protected translate(events: Buffer[]): string {
    let out = '';
    for (const raw of events) {
      const data = eventData(raw);
      if (data) out += this.event(JSON.parse(data), data);
    }
    return out;
  }

  private event(e: any, data: string): string {
    switch (e.type) {
      case 'message_start':
        this.out.id = e.message?.id ?? '';
        this.out.model = e.message?.model ?? '';
        this.rawUsage = { ...e.message?.usage };
        return this.out.delta({ role: 'assistant', content: '' });
      case 'content_block_start': {
        const block = e.content_block;
        if (block?.type === 'tool_use' && block.name === this.jsonTool) {
          this.jsonBlock = e.index;
          return '';
        }
        if (block?.type === 'tool_use') {
          const index = this.toolIndex.size;
          this.toolIndex.set(e.index, index);
          return this.out.delta({ tool_calls: [{ index, id: block.id, type: 'function', function: { name: block.name, arguments: '' } }] });
        }
        return block?.type === 'text' && block.text ? this.out.delta({ content: block.text }) : '';
      }
      case 'content_block_delta': {
        const d = e.delta;
        if (d?.type === 'text_delta') return this.out.delta({ content: d.text });
        if (d?.type === 'input_json_delta' && e.index === this.jsonBlock) return this.out.delta({ content: d.partial_json });
        if (d?.type === 'input_json_delta') {
          return this.out.delta({ tool_calls: [{ index: this.toolIndex.get(e.index) ?? 0, function: { arguments: d.partial_json } }] });
        }
        return '';
      }
      case 'message_delta':
        Object.assign(this.rawUsage, e.usage);
        return this.out.delta({}, this.jsonTool ? 'stop' : finishReason(e.delta?.stop_reason));
      case 'message_stop':
        this.complete = true;
        return this.out.done(openAIUsage(this.rawUsage));
      case 'error':
        // Handled like the HTTP error Anthropic would have sent had it known before the stream started.
        throw new UpstreamFailure('status', ERROR_STATUS[e.error?.type] ?? 500, data);
      default:
        return ''; // ping, content_block_stop, and event types added later
    }
  }
}
