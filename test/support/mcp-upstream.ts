// MCP servers built with the official SDK (its McpServer on its Streamable HTTP transport), on 127.0.0.1, as the
// upstreams of the gateway's MCP tests: one session (and one McpServer) per client, resumable streams (an event
// store), and optionally a header credential every request must carry.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InMemoryEventStore } from '@modelcontextprotocol/sdk/examples/shared/inMemoryEventStore.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface McpUpstream {
  url: string;
  /** Every request received, in order. */
  requests: { method: string; headers: http.IncomingHttpHeaders }[];
  /** The live McpServer of each session, for tests that change a server at runtime. */
  servers: McpServer[];
  close(): Promise<void>;
}

export interface McpUpstreamOptions {
  name: string;
  /** Registers the server's tools, resources and prompts on a new McpServer (one per session). */
  setup(server: McpServer): void;
  /** A header every request must carry, with this value, or it is refused with 401. */
  credential?: { header: string; value: string };
  /** Answer requests with JSON instead of an event stream. */
  json?: boolean;
}

export async function startMcpUpstream(o: McpUpstreamOptions): Promise<McpUpstream> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const requests: McpUpstream['requests'] = [];
  const servers: McpServer[] = [];
  const httpServer = http.createServer(async (req, res) => {
    requests.push({ method: req.method ?? '', headers: req.headers });
    if (o.credential && req.headers[o.credential.header.toLowerCase()] !== o.credential.value) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId !== undefined || req.method !== 'POST') {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}');
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        eventStore: new InMemoryEventStore(),
        enableJsonResponse: o.json ?? false,
        onsessioninitialized: (id) => void transports.set(id, created),
        onsessionclosed: (id) => void transports.delete(id),
      });
      const server = new McpServer({ name: o.name, version: '1.0.0' }, { capabilities: { logging: {} } });
      o.setup(server);
      servers.push(server);
      await server.connect(created);
      transport = created;
    }
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    servers,
    async close() {
      await Promise.all([...transports.values()].map((t) => t.close()));
      httpServer.closeAllConnections();
      await new Promise((resolve) => httpServer.close(resolve));
    },
  };
}
