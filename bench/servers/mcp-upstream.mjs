// An MCP server built with the official SDK (McpServer on its Streamable HTTP transport, one session per client,
// answers as event streams: the SDK's default) on 127.0.0.1, with one tool, `echo`. Plain JavaScript, no loader.
// Usage: node bench/servers/mcp-upstream.mjs  -> prints "listening <port>"
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const transports = new Map();

const server = createServer(async (req, res) => {
  const id = req.headers['mcp-session-id'];
  let transport = typeof id === 'string' ? transports.get(id) : undefined;
  if (!transport) {
    if (id !== undefined || req.method !== 'POST') return void res.writeHead(404).end();
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => transports.set(sid, transport),
    });
    const mcp = new McpServer({ name: 'bench', version: '1.0.0' });
    mcp.registerTool('echo', { description: 'Echoes its text.', inputSchema: { text: z.string() } }, async ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    await mcp.connect(transport);
  }
  await transport.handleRequest(req, res);
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
