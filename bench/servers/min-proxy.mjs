// The floor every Node gateway pays: a reverse proxy with `http.request` and a keep-alive agent, nothing
// else (no parsing, auth, limits or logs). Plain JavaScript, no loader, like the gateways it is compared with.
// With --read-model it first reads the whole request body and parses it for `model`, then sends the same bytes:
// the floor of any gateway that routes by the model the body names.
// Usage: node bench/servers/min-proxy.mjs [--read-model] http://127.0.0.1:PORT  -> prints "listening <port>"
import { Agent, createServer, request } from 'node:http';

const readModel = process.argv.includes('--read-model');
const upstream = new URL(process.argv.at(-1));
const agent = new Agent({ keepAlive: true, maxSockets: 1024 });

const server = createServer((req, res) => {
  const headers = { ...req.headers, host: upstream.host };
  const out = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  out.on('error', () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  if (!readModel) return void req.pipe(out);
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (typeof JSON.parse(body.toString('utf8')).model !== 'string') {
      out.destroy();
      return void res.writeHead(400).end();
    }
    out.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
