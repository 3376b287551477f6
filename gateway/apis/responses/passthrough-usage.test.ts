import { describe, expect, it } from 'vitest';
import { ResponsesUsageReader, usageFromResponse } from './passthrough-usage.ts';
import { STREAM_CUT } from './stream.ts';

const usage = { input_tokens: 120, input_tokens_details: { cached_tokens: 100 }, output_tokens: 30, output_tokens_details: { reasoning_tokens: 12 }, total_tokens: 150 };
const response = (status: string, u: unknown = null) => ({ id: 'resp_1', object: 'response', status, model: 'gpt-5', output: [], usage: u });

/** A Responses stream as OpenAI writes it: an `event:` line and compact JSON data. */
const event = (data: Record<string, unknown>) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
const STREAM = [
  event({ type: 'response.created', sequence_number: 0, response: response('in_progress') }),
  // A delta quoting a final event's name is read, and skipped.
  event({ type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'event "response.completed" and "type":"error"' }),
  event({ type: 'response.completed', sequence_number: 2, response: response('completed', usage) }),
].join('');

function relay(reader: ResponsesUsageReader, sse: string, size: number): Buffer {
  const bytes = Buffer.from(sse);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(reader.push(bytes.subarray(i, i + size)));
  out.push(reader.end());
  return Buffer.concat(out);
}

describe('usageFromResponse', () => {
  it('reads the usage of a Response object', () => {
    expect(usageFromResponse(Buffer.from(JSON.stringify(response('completed', usage))))).toEqual({ input: 120, output: 30 });
    expect(usageFromResponse(Buffer.from(JSON.stringify(response('completed'))))).toEqual({ input: 0, output: 0 });
  });

  it('throws on a body that is not JSON', () => {
    expect(() => usageFromResponse(Buffer.from('<html>'))).toThrow();
  });
});

describe('ResponsesUsageReader', () => {
  it.each([1, 4, 17, 1 << 20])('passes the bytes through and reads the usage of response.completed (%i-byte pieces)', (size) => {
    const reader = new ResponsesUsageReader();
    expect(relay(reader, STREAM, size).toString()).toBe(STREAM);
    expect(reader.usage).toEqual({ input: 120, output: 30 });
  });

  it('reads streams without event lines, and response.incomplete', () => {
    const reader = new ResponsesUsageReader();
    relay(reader, `data: ${JSON.stringify({ type: 'response.incomplete', sequence_number: 0, response: response('incomplete', usage) })}\r\n\r\n`, 5);
    expect(reader.usage).toEqual({ input: 120, output: 30 });
  });

  it('takes a stream ended by response.failed or an error event as complete', () => {
    expect(() => relay(new ResponsesUsageReader(), event({ type: 'response.failed', sequence_number: 0, response: response('failed') }), 3)).not.toThrow();
    const error = `event: error\ndata: {"type":"error","sequence_number":1,"error":{"type":"server_error","code":"server_error","message":"boom","param":null}}\n\n`;
    expect(() => relay(new ResponsesUsageReader(), error, 3)).not.toThrow();
  });

  it('throws for a stream cut before its final event, even inside it', () => {
    expect(() => relay(new ResponsesUsageReader(), STREAM.slice(0, STREAM.indexOf('event: response.completed')), 8)).toThrow(STREAM_CUT);
    expect(() => relay(new ResponsesUsageReader(), STREAM.slice(0, -40), 8)).toThrow(STREAM_CUT);
  });
});
