// A fast mock of OpenAI's chat completions API on 127.0.0.1: a fixed `chat.completion` JSON, or, when the
// request asks for `"stream": true`, the same answer as server-sent events. Plain JavaScript, no loader:
// it is part of every measured path and must cost as little as possible.
// Usage: node bench/servers/mock-upstream.mjs  -> prints "listening <port>"
import { createServer } from 'node:http';

const created = 1735689600;
const completion = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?' }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 9, completion_tokens: 9, total_tokens: 18 },
  }),
);
const chunk = (delta, finish = null, usage) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model: 'gpt-4o-mini', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
// One write per event, as a provider sends them: a gateway must handle events split across chunks.
const events = [
  chunk({ role: 'assistant', content: '' }),
  ...['Hello!', ' How can', ' I help', ' you today?'].map((content) => chunk({ content })),
  chunk({}, 'stop', { prompt_tokens: 9, completion_tokens: 9, total_tokens: 18 }),
  'data: [DONE]\n\n',
].map((e) => Buffer.from(e));
const wantsStream = /"stream"\s*:\s*true/;

const server = createServer((req, res) => {
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    if (wantsStream.test(Buffer.concat(parts).toString('latin1'))) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const e of events) res.write(e);
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': completion.length }).end(completion);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
