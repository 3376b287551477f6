// MCP bench cell: `tools/call` through modelgate's built gateway (`/mcp/{server}`) against the same call to the
// SDK server directly, one call at a time (1 connection), both through the official SDK client in this process.
// Rounds alternate between the two, so that the load of a shared machine drifts over both alike; the added mean
// latency is the difference of the means (goal: at most 0.2 ms).
// Usage: npx tsx bench/mcp.ts [--calls 2000] [--rounds 10]
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { stringify } from 'yaml';
import { API_VERSION } from '../schema/kinds.ts';
import { isMain } from './lib/cli.ts';
import { code, table } from './lib/markdown.ts';
import { startBuiltGateway } from './lib/built-gateway.ts';
import { cpuMs, ProcessGroup, waitForLine } from './lib/processes.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 20_000;
/** TEST-ONLY key of the bench consumer, and the gateway's credential for the server (which accepts anything). */
const API_KEY = 'mg-bench-mcp-key-0001';
const SERVER_KEY_ENV = 'BENCH_MCP_KEY';
const WARM_UP_CALLS = 300;

const labels = { owner: 'bench', team: 'platform' };
const doc = (kind: string, name: string, spec: unknown) => ({ apiVersion: API_VERSION, kind, metadata: { name, labels }, spec });

/** A config repo: the MCP server, one API-key consumer, a grant of its one tool; usage log and metrics on. */
function writeConfig(dir: string, upstreamPort: number, usageLog: string): void {
  const files: Record<string, unknown> = {
    'gateway.yaml': doc('Gateway', 'bench', {
      listen: { host: '127.0.0.1' },
      logging: { level: 'warn', usage: { enabled: true, path: usageLog } },
      kubernetes: { replicas: 1, autoscaling: { enabled: false } },
    }),
    'mcp.yaml': doc('McpServer', 'bench', {
      url: `http://127.0.0.1:${upstreamPort}/mcp`,
      credential: `env:${SERVER_KEY_ENV}`,
      timeout: '30s',
      tools: [{ name: 'echo', risk: 'read' }],
    }),
    'consumer.yaml': doc('Consumer', 'agent', { apiKeys: [{ id: 'bench', sha256: createHash('sha256').update(API_KEY).digest('hex') }] }),
    'environment.yaml': doc('Environment', 'bench', { tier: 'development' }),
    'access.yaml': doc('AccessPolicy', 'agent', {
      subjects: { consumers: ['agent'] },
      mcp: { servers: [{ name: 'bench', tools: ['echo'] }], callsPerMinute: 1_000_000_000 },
    }),
  };
  mkdirSync(dir, { recursive: true });
  for (const [file, value] of Object.entries(files)) writeFileSync(join(dir, file), stringify(value));
}

async function connect(url: string, headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

/**
 * Milliseconds of each of `n` sequential calls, on a session of their own: the SDK client keeps an abort listener
 * per request on its transport, which slows a long-lived one down call after call.
 */
async function timeCalls(url: string, headers: Record<string, string>, n: number): Promise<number[]> {
  const client = await connect(url, headers);
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await client.callTool({ name: 'echo', arguments: { text: 'hello' } });
    times.push(performance.now() - started);
  }
  await client.close();
  return times;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const ms = (x: number) => `${x.toFixed(3)} ms`;

export async function runMcpBench(calls: number, rounds: number): Promise<string> {
  const group = new ProcessGroup();
  const scratch = mkdtempSync(join(tmpdir(), 'modelgate-bench-mcp-'));
  try {
    const upstream = group.start('mcp upstream', process.execPath, ['bench/servers/mcp-upstream.mjs'], { cwd: ROOT });
    const upstreamPort = Number(await waitForLine(upstream, /listening (\d+)/, START_TIMEOUT_MS));
    writeConfig(join(scratch, 'config'), upstreamPort, join(scratch, 'usage.log'));
    const { port, gateway } = await startBuiltGateway(group, scratch, join(scratch, 'config'), 'bench', {
      [SERVER_KEY_ENV]: 'bench-upstream-key',
    });

    const direct = [`http://127.0.0.1:${upstreamPort}/mcp`, {}] as const;
    const through = [`http://127.0.0.1:${port}/mcp/bench`, { authorization: `Bearer ${API_KEY}` }] as const;
    await timeCalls(...direct, WARM_UP_CALLS);
    await timeCalls(...through, WARM_UP_CALLS);
    const samples = { direct: [] as number[], through: [] as number[] };
    const perRound = Math.ceil(calls / rounds);
    let gatewayCpuMs = 0;
    for (let r = 0; r < rounds; r++) {
      samples.direct.push(...(await timeCalls(...direct, perRound)));
      const cpuBefore = cpuMs(gateway.pid);
      samples.through.push(...(await timeCalls(...through, perRound)));
      gatewayCpuMs += cpuMs(gateway.pid) - cpuBefore;
    }
    const added = mean(samples.through) - mean(samples.direct);
    const row = (label: string, xs: number[]) => [label, ms(mean(xs)), ms(quantile(xs, 0.5)), ms(quantile(xs, 0.99))];
    return [
      `${samples.direct.length} sequential \`tools/call\` each (1 connection), ${rounds} alternating rounds (a session each), after ${WARM_UP_CALLS} warm-up calls; SDK client ${code('@modelcontextprotocol/sdk')}, SDK server answering as an event stream.`,
      '',
      table(
        ['path', 'mean', 'p50', 'p99'],
        [row('SDK server directly', samples.direct), row('through modelgate /mcp/{server}', samples.through)],
      ),
      '',
      `Added mean latency: **${ms(added)}** (goal ≤ 0.2 ms: ${added <= 0.2 ? 'met' : 'not met'}). ` +
        `The gateway process used ${ms(gatewayCpuMs / samples.through.length)} of CPU per call (user + system, /proc ticks).`,
    ].join('\n');
  } finally {
    group.stopAll();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '10' } } });
  console.log(await runMcpBench(Number(values.calls), Number(values.rounds)));
}
