// An OTLP/HTTP collector stand-in for the tracing bench: reads each export and answers success, decoding nothing,
// so that the bench measures the gateway's cost of tracing, not a collector's. Plain JavaScript, no loader.
// Usage: node bench/servers/otlp-sink.mjs  -> prints "listening <port>", and "spans-bytes <n>" on SIGTERM
import { createServer } from 'node:http';

let bytes = 0;
const server = createServer((req, res) => {
  req.on('data', (chunk) => {
    bytes += chunk.length;
  });
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': 0 }).end());
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => {
  console.log(`spans-bytes ${bytes}`);
  process.exit(0);
});
