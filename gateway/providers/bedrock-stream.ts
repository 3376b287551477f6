// ConverseStream's answer, AWS event-stream frames (messageStart, contentBlockStart/Delta/Stop, messageStop,
// metadata), as OpenAI `chat.completion.chunk` events. Frames are cut from the bytes as they come, whatever the
// chunking, and decoded (CRCs checked) by Smithy's codec.
import { EventStreamCodec } from '@smithy/eventstream-codec';
import type { TokenUsage } from '../usage.ts';
import type { ChunkHandler, StreamTranslator } from './adapter.ts';
import { converseUsage, finishReason } from './bedrock-translate.ts';
import { ChunkWriter, completionId, tokenUsage } from './openai-chat.ts';
import { UpstreamFailure } from './upstream-errors.ts';

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

/** The HTTP status of each exception ConverseStream sends in the stream, as its API reference gives them. */
const EXCEPTION_STATUS: Record<string, number> = {
  validationException: 400,
  modelTimeoutException: 408,
  modelStreamErrorException: 424,
  throttlingException: 429,
  internalServerException: 500,
  serviceUnavailableException: 503,
};
/** A frame's total length, CRCs and header length: 4 + 4 + 4 + 4 bytes at least. */
const MIN_FRAME_BYTES = 16;

export class ConverseStream implements StreamTranslator {
  private readonly out: ChunkWriter;
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** Bytes the frame being held needs in all, once its length is known. */
  private needed = 4;
  private rawUsage: Record<string, number> = {};
  /** Converse content-block index -> OpenAI tool_calls index. */
  private readonly toolIndex = new Map<number, number>();
  private complete = false;

  constructor(includeUsage: boolean, model: string, chunks?: ChunkHandler) {
    this.out = new ChunkWriter(includeUsage, chunks);
    this.out.id = completionId();
    this.out.model = model;
  }

  get usage(): TokenUsage {
    return tokenUsage(converseUsage(this.rawUsage));
  }

  push(chunk: Buffer): string {
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes < this.needed) return '';
    const bytes = this.held.length === 1 ? this.held[0] : Buffer.concat(this.held, this.heldBytes);
    let out = '';
    let at = 0;
    while (bytes.length - at >= 4) {
      const length = bytes.readUInt32BE(at);
      if (length < MIN_FRAME_BYTES) throw new UpstreamFailure('reset'); // not an event stream
      if (bytes.length - at < length) break;
      out += this.frame(bytes.subarray(at, at + length));
      at += length;
    }
    const rest = bytes.subarray(at);
    // A copy of a part left over: a view would keep the whole chunk alive.
    this.held = rest.length === 0 ? [] : [at > 0 ? Buffer.from(rest) : rest];
    this.heldBytes = rest.length;
    this.needed = rest.length >= 4 ? rest.readUInt32BE(0) : 4;
    return out;
  }

  /** A stream that stops before its `metadata` frame, or in the middle of a frame, was cut short. */
  end(): string {
    if (!this.complete || this.heldBytes > 0) throw new UpstreamFailure('reset');
    return '';
  }

  private frame(bytes: Buffer): string {
    let decoded;
    try {
      decoded = codec.decode(bytes);
    } catch {
      throw new UpstreamFailure('reset'); // a CRC mismatch: the bytes were damaged on the way
    }
    const { headers, body } = decoded;
    const header = (name: string) => String(headers[name]?.value ?? '');
    const payload = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    switch (header(':message-type')) {
      case 'event':
        return this.event(header(':event-type'), JSON.parse(payload));
      case 'exception': {
        // Handled like the HTTP error Bedrock would have sent had it known before the stream started.
        const type = header(':exception-type');
        const message = (JSON.parse(payload) as { message?: string }).message ?? type;
        throw new UpstreamFailure('status', EXCEPTION_STATUS[type] ?? 500, JSON.stringify({ error: { message, type } }));
      }
      default:
        throw new UpstreamFailure(
          'status',
          500,
          JSON.stringify({ error: { message: header(':error-message'), type: header(':error-code') } }),
        );
    }
  }

  private event(type: string, e: any): string {
    switch (type) {
      case 'messageStart':
        return this.out.delta({ role: 'assistant', content: '' });
      case 'contentBlockStart': {
        const tool = e.start?.toolUse;
        if (!tool) return '';
        const index = this.toolIndex.size;
        this.toolIndex.set(e.contentBlockIndex, index);
        return this.out.delta({
          tool_calls: [{ index, id: tool.toolUseId, type: 'function', function: { name: tool.name, arguments: '' } }],
        });
      }
      case 'contentBlockDelta': {
        const d = e.delta;
        if (typeof d?.text === 'string') return this.out.delta({ content: d.text });
        if (typeof d?.toolUse?.input === 'string') {
          return this.out.delta({
            tool_calls: [{ index: this.toolIndex.get(e.contentBlockIndex) ?? 0, function: { arguments: d.toolUse.input } }],
          });
        }
        return ''; // reasoning text and block kinds added later
      }
      case 'messageStop':
        return this.out.delta({}, finishReason(e.stopReason));
      case 'metadata':
        this.rawUsage = { ...e.usage };
        this.complete = true;
        return this.out.done(converseUsage(this.rawUsage));
      default:
        return ''; // contentBlockStop, and event types added later
    }
  }
}
