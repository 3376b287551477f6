// streamGenerateContent?alt=sse as OpenAI `chat.completion.chunk` events. Each event is a whole
// GenerateContentResponse: text parts become content deltas, functionCall parts whole tool calls (Gemini does not
// split their arguments), the one with a finishReason the last. Gemini sends no closing event, so the usage chunk
// and `[DONE]` come when its stream ends after a finishReason.
import { eventData } from '../http/sse.ts';
import type { TokenUsage } from '../usage.ts';
import { type ChunkHandler, EventStreamTranslator } from './adapter.ts';
import { finishOf, finishReason, geminiUsage, googleFailure, isAnswerText, toolCall } from './gemini-translate.ts';
import { ChunkWriter, completionId, tokenUsage } from './openai-chat.ts';

export class GeminiStream extends EventStreamTranslator {
  private readonly out: ChunkWriter;
  private started = false;
  private tools = 0;
  /** Every event carries usageMetadata; only the last one's counts are the totals. */
  private rawUsage: Record<string, number> = {};

  constructor(
    includeUsage: boolean,
    private readonly model: string,
    chunks?: ChunkHandler,
  ) {
    super();
    this.out = new ChunkWriter(includeUsage, chunks);
  }

  get usage(): TokenUsage {
    return tokenUsage(geminiUsage(this.rawUsage));
  }

  override end(): string {
    return `${super.end()}${this.out.done(geminiUsage(this.rawUsage))}`;
  }

  protected translate(events: Buffer[]): string {
    let out = '';
    for (const raw of events) {
      const data = eventData(raw);
      if (!data) continue;
      const r = JSON.parse(data);
      // An error that happens mid-stream arrives as an event of its own, handled like the same HTTP error.
      if (r.error) throw googleFailure(typeof r.error.code === 'number' ? r.error.code : 500, data);
      out += this.response(r);
    }
    return out;
  }

  private response(r: any): string {
    let out = '';
    if (!this.started) {
      this.started = true;
      this.out.id = r.responseId ?? completionId();
      this.out.model = r.modelVersion ?? this.model;
      out += this.out.delta({ role: 'assistant', content: '' });
    }
    if (r.usageMetadata) this.rawUsage = r.usageMetadata;
    for (const part of r.candidates?.[0]?.content?.parts ?? []) {
      if (isAnswerText(part) && part.text) out += this.out.delta({ content: part.text });
      else if (part.functionCall) out += this.out.delta({ tool_calls: [{ index: this.tools++, ...toolCall(part) }] });
    }
    const finish = finishOf(r);
    if (finish) {
      this.complete = true;
      out += this.out.delta({}, finishReason(finish, this.tools > 0));
    }
    return out;
  }
}
