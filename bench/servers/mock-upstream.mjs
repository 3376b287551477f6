// A fast mock upstream on 127.0.0.1 that answers every API the gateway bench sends, each in its provider's wire
// format: OpenAI chat completions (`chat.completion` JSON or chunks), Anthropic Messages (a `message` or the
// message_start .. message_stop events) and OpenAI Responses (a `response` or response.created ..
// response.completed); SSE when the request asks for `"stream": true`. Every answer is the same text and usage.
// Plain JavaScript, no loader: it is part of every measured path and must cost as little as possible.
// Usage: node bench/servers/mock-upstream.mjs  -> prints "listening <port>"
import { createServer } from 'node:http';

const created = 1735689600;
const PIECES = ['Hello!', ' How can', ' I help', ' you today?'];
const TEXT = PIECES.join('');
const sse = (event, data) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function chat() {
  const completion = {
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: TEXT }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 9, completion_tokens: 9, total_tokens: 18 },
  };
  const chunk = (delta, finish = null, usage) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model: 'gpt-4o-mini', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
  const events = [
    chunk({ role: 'assistant', content: '' }),
    ...PIECES.map((content) => chunk({ content })),
    chunk({}, 'stop', completion.usage),
    'data: [DONE]\n\n',
  ];
  return { json: completion, events };
}

function messages() {
  const message = {
    id: 'msg_bench',
    type: 'message',
    role: 'assistant',
    model: 'claude-bench',
    content: [],
    stop_reason: null,
    stop_sequence: null,
  };
  const usage = { input_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 9 };
  const events = [
    sse('message_start', { type: 'message_start', message: { ...message, usage: { ...usage, output_tokens: 1 } } }),
    sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    ...PIECES.map((text) => sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
    sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
    sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 9 } }),
    sse('message_stop', { type: 'message_stop' }),
  ];
  return { json: { ...message, content: [{ type: 'text', text: TEXT }], stop_reason: 'end_turn', usage }, events };
}

function responses() {
  const base = { id: 'resp_bench', object: 'response', created_at: created, model: 'gpt-4o-mini', output: [], usage: null };
  const item = {
    id: 'msg_bench',
    type: 'message',
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text: TEXT, annotations: [] }],
  };
  const usage = {
    input_tokens: 9,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 9,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 18,
  };
  const done = { ...base, status: 'completed', output: [item], usage };
  const ref = { item_id: item.id, output_index: 0, content_index: 0 };
  const list = [
    ['response.created', { response: { ...base, status: 'in_progress' } }],
    ['response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } }],
    ['response.content_part.added', { ...ref, part: { type: 'output_text', text: '', annotations: [] } }],
    ...PIECES.map((delta) => ['response.output_text.delta', { ...ref, delta }]),
    ['response.output_text.done', { ...ref, text: TEXT }],
    ['response.content_part.done', { ...ref, part: item.content[0] }],
    ['response.output_item.done', { output_index: 0, item }],
    ['response.completed', { response: done }],
  ];
  return { json: done, events: list.map(([type, data], sequence_number) => sse(type, { type, ...data, sequence_number })) };
}

/** Path suffix -> the answer, encoded once. */
const ANSWERS = Object.entries({ '/chat/completions': chat(), '/messages': messages(), '/responses': responses() }).map(([suffix, a]) => ({
  suffix,
  json: Buffer.from(JSON.stringify(a.json)),
  // One write per event, as a provider sends them: a gateway must handle events split across chunks.
  events: a.events.map((e) => Buffer.from(e)),
}));
const wantsStream = /"stream"\s*:\s*true/;

const server = createServer((req, res) => {
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => {
    const path = req.url.split('?')[0];
    const answer = req.method === 'POST' ? ANSWERS.find((a) => path.endsWith(a.suffix)) : undefined;
    if (!answer) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    if (wantsStream.test(Buffer.concat(parts).toString('latin1'))) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const e of answer.events) res.write(e);
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.json.length }).end(answer.json);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
