// The gateway in front of two MCP servers built with the official SDK, for the MCP tests and the bench: `github`
// (a pinned catalogue, progress, a stream that drops, a resource, a prompt) behind `Authorization: Bearer`, and
// `docs` (its own tool list) behind an `x-api-key` header; consumers whose keys the tests know.
import { createHash } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ListRootsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { IR, IRMcpServer } from '../../compiler/ir/types.ts';
import { startGateway, type Gateway } from '../../gateway/gateway.ts';
import { createLogger } from '../../gateway/log.ts';
import { createSecretResolver } from '../../gateway/secrets.ts';
import { TurnBatch } from '../../gateway/usage-log.ts';
import { testConsumer, testGateway, testIR, testPolicy } from './ir-fixture.ts';
import { type McpUpstream, startMcpUpstream } from './mcp-upstream.ts';

export const MCP_KEYS = { alice: 'sk-test-mcp-alice', bob: 'sk-test-mcp-bob', carol: 'sk-test-mcp-carol' } as const;
/** HS256 issuer of the JWT consumer `dave` (subject svc-dave). */
export const MCP_JWT = { issuer: 'https://sso.test', secret: 'mcp-jwt-secret-for-tests-only' };
/** The gateway's credentials for the servers; tests check that none reaches a client, a log line or an error. */
export const MCP_UPSTREAM_KEYS = {
  GITHUB_MCP_TOKEN: 'ghp-upstream-PLANTED-0123456789',
  DOCS_MCP_KEY: 'docs-upstream-PLANTED-9876543210',
  /** Configured for `broken`, which the docs server refuses. */
  STALE_DOCS_KEY: 'stale-upstream-PLANTED-5555555555',
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const env = (name: string) => ({ ref: `env:${name}`, source: 'env' as const, name });
const text = (t: string) => ({ content: [{ type: 'text' as const, text: t }] });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface McpTestGateway {
  gateway: Gateway;
  github: McpUpstream;
  docs: McpUpstream;
  /** Tool calls each server executed, as `tool:arguments-json`. */
  executed: string[];
  usage(): any[];
  /** Every usage and operational log line written, for checks that nothing leaks. */
  logText(): string;
  /** The usage line of the last MCP tool call. */
  lastToolLine(): any;
  close(): Promise<void>;
}

function githubServer(executed: string[]) {
  return (s: import('@modelcontextprotocol/sdk/server/mcp.js').McpServer) => {
    s.registerTool(
      'get_issue',
      { description: 'Server text', inputSchema: { number: z.number(), note: z.string().optional() } },
      async (args) => {
        executed.push(`get_issue:${JSON.stringify(args)}`);
        return text(`issue ${args.number}${args.note ? `: ${args.note}` : ''}`);
      },
    );
    s.registerTool('delete_issue', { inputSchema: { number: z.number() } }, async (args) => {
      executed.push(`delete_issue:${JSON.stringify(args)}`);
      return text(`deleted ${args.number}`);
    });
    s.registerTool('slow_count', { inputSchema: { steps: z.number() } }, async (args, extra) => {
      executed.push(`slow_count:${JSON.stringify(args)}`);
      const token = extra._meta?.progressToken;
      for (let i = 1; i <= args.steps; i++) {
        if (token !== undefined)
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken: token, progress: i, total: args.steps },
          });
        await sleep(5);
      }
      return text(`counted to ${args.steps}`);
    });
    s.registerTool('flaky', {}, async (extra) => {
      executed.push('flaky:{}');
      // Drops the client's stream mid-call (the SDK's polling pattern); the answer is kept for a resumed stream.
      extra.closeSSEStream?.();
      await sleep(30);
      return text('survived the dropped stream');
    });
    s.registerTool('count_roots', {}, async (extra) => {
      // A request of the server's own, answered by the client through the gateway.
      const { roots } = await extra.sendRequest({ method: 'roots/list' }, ListRootsResultSchema);
      return text(`${roots.length} roots: ${roots.map((r) => r.uri).join(', ')}`);
    });
    s.registerResource('readme', 'repo://acme/readme', { mimeType: 'text/markdown' }, async (uri) => ({
      contents: [{ uri: uri.href, text: '# acme' }],
    }));
    s.registerResource('secrets', 'vault://acme/keys', {}, async (uri) => ({ contents: [{ uri: uri.href, text: 'nope' }] }));
    s.registerPrompt('triage', { description: 'Triage an issue' }, () => ({
      messages: [{ role: 'user', content: { type: 'text', text: 'Triage it.' } }],
    }));
  };
}

function docsServer(executed: string[]) {
  return (s: import('@modelcontextprotocol/sdk/server/mcp.js').McpServer) => {
    s.registerTool('search', { description: 'Search the docs', inputSchema: { q: z.string() } }, async (args) => {
      executed.push(`search:${JSON.stringify(args)}`);
      return text(`found ${args.q}`);
    });
    s.registerTool('admin_reset', {}, async () => {
      executed.push('admin_reset:{}');
      return text('reset');
    });
  };
}

const GITHUB_TOOLS: IRMcpServer['tools'] = [
  { name: 'count_roots', risk: 'read' },
  { name: 'delete_issue', risk: 'destructive' },
  { name: 'flaky', risk: 'read' },
  { name: 'get_issue', description: 'Reads one issue (reviewed description).', risk: 'read' },
  { name: 'slow_count', risk: 'read' },
];

/** One tool call through the gateway with the official SDK client, on a session of its own, as the consumer of `key`. */
export async function callToolAs(
  t: McpTestGateway,
  key: string,
  params: { name: string; arguments: Record<string, unknown> },
  onprogress?: () => void,
) {
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.gateway.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${key}` } } }),
  );
  try {
    return await client.callTool(params, undefined, onprogress ? { onprogress } : {});
  } finally {
    await client.close();
  }
}

export function mcpIR(github: McpUpstream, docs: McpUpstream): IR {
  const server = (s: Pick<IRMcpServer, 'name' | 'url' | 'credential' | 'credentialHeader'> & Partial<IRMcpServer>): IRMcpServer => ({
    labels: {},
    timeoutMs: 5_000,
    ...s,
  });
  return testIR({
    gateway: testGateway({
      logging: { level: 'debug', usage: { enabled: true, path: 'stdout', includePrompts: false } },
      auth: { jwt: [{ issuer: MCP_JWT.issuer, audiences: ['modelgate'], algorithms: ['HS256'], secret: env('MCP_JWT_SECRET') }] },
    }),
    consumers: [
      testConsumer('alice', { apiKeys: [{ id: 'a', sha256: sha256(MCP_KEYS.alice) }] }),
      testConsumer('bob', { apiKeys: [{ id: 'b', sha256: sha256(MCP_KEYS.bob) }] }),
      testConsumer('carol', { apiKeys: [{ id: 'c', sha256: sha256(MCP_KEYS.carol) }] }),
      testConsumer('dave', { jwt: { issuer: MCP_JWT.issuer, claims: { sub: 'svc-dave' } } }),
    ],
    accessPolicies: [
      testPolicy('agents', {
        consumers: ['alice'],
        mcp: {
          servers: [
            { server: 'broken', tools: ['*'], excludeTools: [], resources: [], prompts: [] },
            { server: 'docs', tools: ['search'], excludeTools: [], resources: [], prompts: [] },
            { server: 'github', tools: ['*'], excludeTools: [], resources: ['repo://*'], prompts: ['*'] },
          ],
          redactArguments: false,
        },
      }),
      testPolicy('readers', {
        consumers: ['bob', 'dave'],
        redaction: { pii: ['email'], patterns: [] },
        mcp: {
          servers: [{ server: 'github', tools: ['get_*'], excludeTools: [], resources: [], prompts: [] }],
          callsPerMinute: 3,
          redactArguments: true,
        },
      }),
    ],
    mcpServers: [
      server({ name: 'broken', url: docs.url, credential: env('STALE_DOCS_KEY'), credentialHeader: 'x-api-key' }),
      server({ name: 'docs', url: docs.url, credential: env('DOCS_MCP_KEY'), credentialHeader: 'x-api-key' }),
      server({
        name: 'github',
        url: github.url,
        credential: env('GITHUB_MCP_TOKEN'),
        credentialHeader: 'authorization',
        tools: GITHUB_TOOLS,
      }),
    ],
  });
}

export async function startMcpTestGateway(patch: (ir: IR) => void = () => {}): Promise<McpTestGateway> {
  const executed: string[] = [];
  const [github, docs] = await Promise.all([
    startMcpUpstream({
      name: 'github',
      setup: githubServer(executed),
      credential: { header: 'authorization', value: `Bearer ${MCP_UPSTREAM_KEYS.GITHUB_MCP_TOKEN}` },
    }),
    startMcpUpstream({
      name: 'docs',
      setup: docsServer(executed),
      credential: { header: 'x-api-key', value: MCP_UPSTREAM_KEYS.DOCS_MCP_KEY },
      json: true,
    }),
  ]);
  const ir = mcpIR(github, docs);
  patch(ir);
  const usage: string[] = [];
  const logs: string[] = [];
  const gateway = await startGateway({
    ir,
    secrets: createSecretResolver({ ...MCP_UPSTREAM_KEYS, MCP_JWT_SECRET: MCP_JWT.secret }),
    // The gateway's own batching, so that tests see lines as a file would get them.
    usageLog: new TurnBatch((text) => void usage.push(...text.slice(0, -1).split('\n'))),
    log: createLogger('debug', (line) => void logs.push(line)),
  });
  return {
    gateway,
    github,
    docs,
    executed,
    usage: () => usage.map((l) => JSON.parse(l)),
    logText: () => [...usage, ...logs].join('\n'),
    lastToolLine: () =>
      usage
        .map((l) => JSON.parse(l))
        .filter((u) => u.api === 'mcp')
        .at(-1),
    async close() {
      await gateway.shutdown(500);
      await Promise.all([github.close(), docs.close()]);
    },
  };
}
