// The floor of a translating gateway: min-proxy.mjs plus only the work translation cannot avoid, written as the
// smallest mapping that is correct for the bench's bodies (not modelgate's translators, and no auth, limits,
// metrics or logs). Anthropic Messages in -> OpenAI chat out (as modelgate's `translated to openai` route), and
// OpenAI Responses in -> Anthropic Messages out (as its `translated to anthropic` route): the request parsed,
// mapped and encoded, the answer parsed and mapped back; a stream's events each parsed and answered with the
// other API's event(s), the same ones modelgate sends (Responses: 12 events, Messages: 9).
// Plain JavaScript, no loader, like the proxy it is compared with.
// Usage: node bench/servers/translating-proxy.mjs http://127.0.0.1:PORT  -> prints "listening <port>"
import { randomBytes } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';

const upstream = new URL(process.argv.at(-1));
const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

const sse = (type, data) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
const text = (content) => (typeof content === 'string' ? content : content.map((b) => b.text ?? '').join(''));
const id = (prefix) => `${prefix}_${randomBytes(24).toString('hex')}`;

/** Anthropic Messages in, OpenAI chat to the provider. */
const messagesToChat = {
  path: '/v1/chat/completions',
  request(m) {
    const messages = m.system === undefined ? [] : [{ role: 'system', content: text(m.system) }];
    for (const message of m.messages) messages.push({ role: message.role, content: text(message.content) });
    const chat = { model: m.model, messages, max_tokens: m.max_tokens };
    return m.stream ? { ...chat, stream: true, stream_options: { include_usage: true } } : chat;
  },
  answer(c, m) {
    const choice = c.choices[0];
    return {
      id: `msg_${c.id}`,
      type: 'message',
      role: 'assistant',
      model: m.model,
      content: [{ type: 'text', text: choice.message.content ?? '' }],
      stop_reason: choice.finish_reason === 'length' ? 'max_tokens' : 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: c.usage.prompt_tokens, output_tokens: c.usage.completion_tokens },
    };
  },
  /** Chat chunks (`data:` lines) -> message_start, ping, one text block, message_delta, message_stop. */
  stream(m) {
    let started = false;
    let stop = 'end_turn';
    return (event) => {
      const data = event.slice(event.indexOf('data: ') + 6).trim();
      if (data === '[DONE]') return '';
      const chunk = JSON.parse(data);
      let out = '';
      if (!started) {
        started = true;
        const message = { id: `msg_${chunk.id}`, type: 'message', role: 'assistant', model: m.model, content: [] };
        out += sse('message_start', {
          type: 'message_start',
          message: { ...message, stop_reason: null, stop_sequence: null, usage: { input_tokens: 0, output_tokens: 0 } },
        });
        out += sse('ping', { type: 'ping' });
        out += sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
      }
      const choice = chunk.choices[0];
      if (choice?.delta.content)
        out += sse('content_block_delta', {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'text_delta', text: choice.delta.content },
        });
      if (choice?.finish_reason === 'length') stop = 'max_tokens';
      if (chunk.usage) {
        const usage = { input_tokens: chunk.usage.prompt_tokens, output_tokens: chunk.usage.completion_tokens };
        out += sse('content_block_stop', { type: 'content_block_stop', index: 0 });
        out += sse('message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage });
        out += sse('message_stop', { type: 'message_stop' });
      }
      return out;
    };
  },
};

/** The Response object's fields the official SDKs read, echoed from the request. */
function draft(r) {
  return {
    id: id('resp'),
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'in_progress',
    error: null,
    incomplete_details: null,
    instructions: r.instructions ?? null,
    max_output_tokens: r.max_output_tokens ?? null,
    metadata: {},
    model: r.model,
    output: [],
    parallel_tool_calls: true,
    previous_response_id: null,
    store: false,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    usage: null,
  };
}

const messageItem = (itemId, status, content) => ({ id: itemId, type: 'message', status, role: 'assistant', content });
const textPart = (t) => ({ type: 'output_text', text: t, annotations: [] });
const responseUsage = (u) => ({
  input_tokens: u.input_tokens,
  input_tokens_details: { cached_tokens: u.cache_read_input_tokens ?? 0 },
  output_tokens: u.output_tokens,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: u.input_tokens + u.output_tokens,
});

/** OpenAI Responses in, Anthropic Messages to the provider. */
const responsesToMessages = {
  path: '/v1/messages',
  request(r) {
    const messages =
      typeof r.input === 'string'
        ? [{ role: 'user', content: r.input }]
        : r.input.map((item) => ({ role: item.role, content: text(item.content.map((p) => ({ text: p.text }))) }));
    const m = { model: r.model, max_tokens: r.max_output_tokens ?? 4096, messages };
    if (r.instructions !== undefined) m.system = r.instructions;
    return r.stream ? { ...m, stream: true } : m;
  },
  answer(m, r) {
    const t = m.content.map((b) => b.text ?? '').join('');
    const response = draft(r);
    response.status = 'completed';
    response.output = [messageItem(id('msg'), 'completed', [textPart(t)])];
    response.usage = responseUsage(m.usage);
    return response;
  },
  /** Anthropic events -> created, in_progress, one message item (added, part added, deltas, done events), completed. */
  stream(r) {
    const response = draft(r);
    const itemId = id('msg');
    const ref = { item_id: itemId, output_index: 0, content_index: 0 };
    let sequence = 0;
    let all = '';
    let usage;
    const emit = (type, fields) => sse(type, { type, sequence_number: sequence++, ...fields });
    return (event) => {
      const e = JSON.parse(event.slice(event.indexOf('data: ') + 6));
      switch (e.type) {
        case 'message_start':
          usage = e.message.usage;
          return emit('response.created', { response }) + emit('response.in_progress', { response });
        case 'content_block_start':
          return (
            emit('response.output_item.added', { output_index: 0, item: messageItem(itemId, 'in_progress', []) }) +
            emit('response.content_part.added', { ...ref, part: textPart('') })
          );
        case 'content_block_delta':
          all += e.delta.text;
          return emit('response.output_text.delta', { ...ref, delta: e.delta.text });
        case 'content_block_stop':
          return (
            emit('response.output_text.done', { ...ref, text: all }) +
            emit('response.content_part.done', { ...ref, part: textPart(all) }) +
            emit('response.output_item.done', { output_index: 0, item: messageItem(itemId, 'completed', [textPart(all)]) })
          );
        case 'message_delta':
          usage = { ...usage, output_tokens: e.usage.output_tokens };
          return '';
        case 'message_stop': {
          const done = {
            ...response,
            status: 'completed',
            output: [messageItem(itemId, 'completed', [textPart(all)])],
            usage: responseUsage(usage),
          };
          return emit('response.completed', { response: done });
        }
        default:
          return '';
      }
    };
  },
};

const ROUTES = { '/v1/messages': messagesToChat, '/v1/responses': responsesToMessages };

/** The upstream's SSE stream cut into whole events (text up to the blank line), each translated; one write per chunk. */
function translateStream(up, res, translate) {
  let rest = '';
  up.setEncoding('utf8');
  up.on('data', (chunk) => {
    rest += chunk;
    let out = '';
    for (let end = rest.indexOf('\n\n'); end >= 0; end = rest.indexOf('\n\n')) {
      out += translate(rest.slice(0, end));
      rest = rest.slice(end + 2);
    }
    if (out) res.write(out);
  });
  up.on('end', () => res.end());
}

const server = createServer((req, res) => {
  const route = ROUTES[req.url.split('?')[0]];
  if (!route || req.method !== 'POST') return void res.writeHead(404).end();
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const client = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const body = JSON.stringify(route.request(client));
    const headers = { host: upstream.host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const out = request({ host: upstream.hostname, port: upstream.port, method: 'POST', path: route.path, headers, agent }, (up) => {
      if (up.statusCode !== 200) {
        res.writeHead(up.statusCode ?? 502, up.headers);
        return void up.pipe(res);
      }
      if (client.stream) {
        res.writeHead(200, SSE_HEADERS);
        return translateStream(up, res, route.stream(client));
      }
      const parts = [];
      up.on('data', (chunk) => parts.push(chunk));
      up.on('end', () => {
        const answer = Buffer.from(JSON.stringify(route.answer(JSON.parse(Buffer.concat(parts).toString('utf8')), client)));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length }).end(answer);
      });
    });
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    out.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
