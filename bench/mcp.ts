// MCP bench cell: `tools/call` through modelgate's built gateway (`/mcp/{server}`) against the same call to the
// SDK server directly, one call at a time (1 connection), both through the official SDK client in this process.
// Rounds alternate between the two, so that the load of a shared machine drifts over both alike; the added mean
// latency is the difference of the means (goal: at most 0.2 ms).
// The minimal Node proxy (bench/servers/min-proxy.mjs) runs in the same rounds: the floor of any Node hop on
// this machine, against which the gateway's own cost reads.
// Usage: npx tsx bench/mcp.ts [--calls 2000] [--rounds 10] [--warm-up 300] [--baseline OLD/gateway.mjs] [--profile DIR]
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { stringify } from 'yaml';
import { API_VERSION } from '../schema/kinds.ts';
import { BASELINE_GATEWAY, commandLine, count } from './lib/args.ts';
import { isMain } from './lib/cli.ts';
import { code, table } from './lib/markdown.ts';
import { startBuiltGateway, startGatewayBundle } from './lib/built-gateway.ts';
import { type Goal, goal, goalsTable } from './lib/goals.ts';
import { cpuMs, ProcessGroup, waitForLine } from './lib/processes.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 20_000;
/** TEST-ONLY key of the bench consumer, and the gateway's credential for the server (which accepts anything). */
const API_KEY = 'mg-bench-mcp-key-0001';
const SERVER_KEY_ENV = 'BENCH_MCP_KEY';

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

/** One way to the SDK server: its URL and headers, and the process whose CPU it costs (none when direct). */
interface Path {
  label: string;
  url: string;
  headers: Record<string, string>;
  pid?: number;
  samples: number[];
  cpuMs: number;
}

export interface McpBenchOptions {
  calls: number;
  rounds: number;
  warmUpCalls: number;
  /** Another build's gateway.mjs (before a change), measured on the same config in the same rounds. */
  baseline?: string;
  /** Where the gateway writes a `--cpu-prof` profile (read it with bench/profile-summary.ts). */
  profileDir?: string;
  log?: (line: string) => void;
}

export async function runMcpBench(o: McpBenchOptions): Promise<{ markdown: string; goals: Goal[] }> {
  const group = new ProcessGroup();
  const scratch = mkdtempSync(join(tmpdir(), 'modelgate-bench-mcp-'));
  try {
    const upstream = group.start('mcp upstream', process.execPath, ['bench/servers/mcp-upstream.mjs'], { cwd: ROOT });
    const upstreamPort = Number(await waitForLine(upstream, /listening (\d+)/, START_TIMEOUT_MS));
    const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
    const proxy = group.start('minimal proxy', process.execPath, ['bench/servers/min-proxy.mjs', upstreamUrl], { cwd: ROOT });
    const proxyPort = Number(await waitForLine(proxy, /listening (\d+)/, START_TIMEOUT_MS));
    writeConfig(join(scratch, 'config'), upstreamPort, join(scratch, 'usage.log'));
    const env = { [SERVER_KEY_ENV]: 'bench-upstream-key' };
    const built = await startBuiltGateway(group, scratch, join(scratch, 'config'), 'bench', env, o.profileDir);

    const auth = { authorization: `Bearer ${API_KEY}` };
    const path = (label: string, url: string, headers: Record<string, string>, pid?: number): Path => ({
      label,
      url,
      headers,
      pid,
      samples: [],
      cpuMs: 0,
    });
    const direct = path('SDK server directly', `${upstreamUrl}/mcp`, {});
    const floor = path('through the minimal Node proxy (bench/servers/min-proxy.mjs)', `http://127.0.0.1:${proxyPort}/mcp`, {}, proxy.pid);
    const gateway = path('through modelgate /mcp/{server}', `http://127.0.0.1:${built.port}/mcp/bench`, auth, built.gateway.pid);
    const paths = [direct, floor, gateway];
    if (o.baseline) {
      const before = await startGatewayBundle(group, scratch, o.baseline, built.config, env);
      paths.push(path(`through the baseline ${code(o.baseline)}`, `http://127.0.0.1:${before.port}/mcp/bench`, auth, before.gateway.pid));
    }
    for (const p of paths) await timeCalls(p.url, p.headers, o.warmUpCalls);
    const perRound = Math.ceil(o.calls / o.rounds);
    for (let r = 0; r < o.rounds; r++) {
      // ABBA: every other round in reverse order, so that no path always runs right after another.
      for (const p of r % 2 === 0 ? paths : [...paths].reverse()) {
        const cpuBefore = p.pid === undefined ? 0 : cpuMs(p.pid);
        p.samples.push(...(await timeCalls(p.url, p.headers, perRound)));
        if (p.pid !== undefined) p.cpuMs += cpuMs(p.pid) - cpuBefore;
      }
      o.log?.(`mcp: round ${r + 1}/${o.rounds} done`);
    }
    // The profile is written when the gateway exits of itself, which a SIGKILL of its group would not let it do.
    if (o.profileDir) await new Promise((done) => built.gateway.child.once('exit', done).kill('SIGTERM'));

    const added = (p: Path) => mean(p.samples) - mean(direct.samples);
    const cpuPerCall = (p: Path) => (p.pid === undefined ? '' : ms(p.cpuMs / p.samples.length));
    const markdown = [
      `${direct.samples.length} sequential \`tools/call\` per path (1 connection), ${o.rounds} rounds in alternating order (a session each), after ${o.warmUpCalls} warm-up calls; SDK client ${code('@modelcontextprotocol/sdk')}, SDK server answering as an event stream. CPU: user + system of the process in between, from /proc.`,
      '',
      table(
        ['path', 'mean', 'p50', 'p99', 'added mean', 'CPU per call'],
        paths.map((p) => [
          p.label,
          ms(mean(p.samples)),
          ms(quantile(p.samples, 0.5)),
          ms(quantile(p.samples, 0.99)),
          p === direct ? '' : ms(added(p)),
          cpuPerCall(p),
        ]),
      ),
    ].join('\n');
    const goals = [
      goal(
        'MCP `tools/call` through modelgate adds ≤ 0.2 ms mean at 1 connection (issue #16)',
        `${ms(added(gateway))} (the minimal Node proxy: ${ms(added(floor))})`,
        added(gateway),
        (x) => x <= 0.2,
      ),
    ];
    return { markdown, goals };
  } finally {
    group.stopAll();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const { values } = commandLine({
    script: 'bench/mcp.ts',
    summary: 'MCP tools/call through the built gateway against the SDK server directly, one call at a time.',
    options: {
      calls: count(2000, 'calls per round and system'),
      rounds: count(10, 'alternating rounds'),
      'warm-up': { type: 'number', integer: true, min: 0, default: 300, description: 'untimed calls first' },
      baseline: BASELINE_GATEWAY,
      profile: { type: 'string', value: 'DIR', description: "a folder for the gateway's CPU profile" },
    },
  });
  const { markdown, goals } = await runMcpBench({
    calls: values.calls,
    rounds: values.rounds,
    warmUpCalls: values['warm-up'],
    baseline: values.baseline === undefined ? undefined : resolve(values.baseline),
    profileDir: values.profile,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  console.log(`${markdown}\n\n${goalsTable(goals)}`);
}
