// Gateway benchmark: autocannon against, in one run, the mock upstream alone, a minimal keep-alive Node
// proxy (the floor), modelgate's built gateway (memory and Redis limits) and Portkey's gateway, all on
// 127.0.0.1, non-streaming and streaming, each cell on every system in turn. Every process started here is
// ended when it finishes or fails.
// Usage: npm run bench:gateway [-- --quick] [-- --duration-s 4] [-- --rounds 3] [-- --systems upstream,proxy,modelgate]
//        [-- --baseline OLD/gateway.mjs]  (also measures another gateway.mjs bundle, same config, same run)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GATEWAY_NODE_FLAGS } from '../targets/node/node-flags.ts';
import { BENCH_API_KEY, BENCH_ROUTE, REDIS_URL_ENV, UPSTREAM_KEY_ENV, writeGatewayConfig } from './gateway-config.ts';
import { isMain } from './lib/cli.ts';
import { goal, type Goal } from './lib/goals.ts';
import { runLoad, type LoadResult } from './lib/load.ts';
import { code, table } from './lib/markdown.ts';
import { freePort, ProcessGroup, residentKb, waitForHttp, waitForLine, type Started } from './lib/processes.ts';
import { formatInt, formatMb, formatRatio, median } from './lib/stats.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 20_000;
/** A dummy upstream credential: the mock accepts anything, the gateways must still send one. */
const UPSTREAM_KEY = 'sk-bench-upstream';

type SystemId = 'upstream' | 'proxy' | 'modelgate' | 'modelgate-baseline' | 'modelgate-redis' | 'modelgate-redis-baseline' | 'portkey';
type BodyKind = 'json' | 'sse';
const BODIES: readonly BodyKind[] = ['json', 'sse'];

interface Target {
  url: string;
  headers: Record<string, string>;
  model: string;
  /** The process under test, whose RSS is reported. */
  pid: number;
}

interface Context {
  /** Processes of the whole run: the mock upstream and the builds. */
  group: ProcessGroup;
  scratch: string;
  upstream: { port: number; pid: number };
  /** `modelgate build` outputs, started early and in parallel: memory and Redis variants. */
  builds: Record<'memory' | 'redis', Promise<BuiltGateway>>;
}

interface System {
  id: SystemId;
  label: string;
  /** How RESULTS.md says it was run. */
  display: string;
  /** Starts the system's processes in `own`, which is ended once the system is measured. */
  start(ctx: Context, own: ProcessGroup): Promise<Target>;
}

interface BuiltGateway {
  entry: string;
  config: string;
}

/** Starts one of bench/servers/*.mjs and waits for the port it reports. */
async function startServer(group: ProcessGroup, name: string, args: string[]): Promise<{ started: Started; port: number }> {
  const started = group.start(name, process.execPath, args, { cwd: ROOT });
  const port = Number(await waitForLine(started, /listening (\d+)/, START_TIMEOUT_MS));
  return { started, port };
}

async function exitCode(started: Started): Promise<number | null> {
  return started.child.exitCode ?? new Promise((r) => started.child.on('close', r));
}

function findFile(dir: string, name: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isFile() && entry.name === name) return path;
    if (entry.isDirectory()) {
      const found = findFile(path, name);
      if (found) return found;
    }
  }
  return undefined;
}

/** `modelgate build --target node` of the bench config (gateway-config.ts), pointed at the mock upstream. */
async function buildGateway(ctx: Omit<Context, 'builds'>, redis: boolean): Promise<BuiltGateway> {
  const name = redis ? 'redis' : 'memory';
  const config = join(ctx.scratch, `config-${name}`);
  const out = join(ctx.scratch, `out-${name}`);
  writeGatewayConfig(config, { upstreamPort: ctx.upstream.port, redis, usageLogPath: join(ctx.scratch, `usage-${name}.log`) });
  const build = ctx.group.start(`modelgate build (${name})`, process.execPath, ['bin/modelgate.mjs', 'build', config, '--env', 'prod', '--target', 'node', '--out', out], { cwd: ROOT });
  const status = await exitCode(build);
  if (status !== 0) throw new Error(`modelgate build exited ${status}: ${build.reason()}`);
  const entry = findFile(out, 'gateway.mjs');
  if (!entry) throw new Error('modelgate build wrote no gateway.mjs');
  return { entry, config: join(dirname(entry), 'config.json') };
}

async function startModelgate(ctx: Context, own: ProcessGroup, variant: 'memory' | 'redis', env: Record<string, string>, entry?: string): Promise<Target> {
  const built = await ctx.builds[variant];
  const port = await freePort();
  // This build runs as the k8s target deploys it; a baseline bundle runs as given.
  const args = [...(entry ? [entry] : [...GATEWAY_NODE_FLAGS, built.entry]), '--config', built.config, '--host', '127.0.0.1', '--port', String(port)];
  const started = own.start(`modelgate (${variant})`, process.execPath, args, { cwd: dirname(built.entry), env: { [UPSTREAM_KEY_ENV]: UPSTREAM_KEY, ...env } });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(started, `${base}/healthz`, START_TIMEOUT_MS);
  return { url: `${base}/v1/chat/completions`, headers: { authorization: `Bearer ${BENCH_API_KEY}` }, model: BENCH_ROUTE, pid: started.pid };
}

/** A redis-server of its own, then the gateway with Redis limits. */
async function startWithRedis(ctx: Context, own: ProcessGroup, entry?: string): Promise<Target> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error('redis-server is not installed (apt-get install redis-server)');
  const port = await freePort();
  const redis = own.start('redis-server', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', ctx.scratch], { cwd: ctx.scratch });
  await waitForLine(redis, /(Ready to accept connections)/, START_TIMEOUT_MS);
  return startModelgate(ctx, own, 'redis', { [REDIS_URL_ENV]: `redis://127.0.0.1:${port}` }, entry);
}

function systems(baseline: string | undefined): System[] {
  const all: System[] = [
    {
      id: 'upstream',
      label: 'mock upstream alone',
      display: 'node bench/servers/mock-upstream.mjs',
      start: async (ctx) => ({ url: `http://127.0.0.1:${ctx.upstream.port}/v1/chat/completions`, headers: {}, model: 'gpt-4o-mini', pid: ctx.upstream.pid }),
    },
    {
      id: 'proxy',
      label: 'minimal keep-alive proxy',
      display: 'node bench/servers/min-proxy.mjs http://127.0.0.1:<upstream>',
      start: async (ctx, own) => {
        const { started, port } = await startServer(own, 'min-proxy', ['bench/servers/min-proxy.mjs', `http://127.0.0.1:${ctx.upstream.port}`]);
        return { url: `http://127.0.0.1:${port}/v1/chat/completions`, headers: {}, model: 'gpt-4o-mini', pid: started.pid };
      },
    },
    {
      id: 'modelgate',
      label: 'modelgate (memory limits)',
      display: `node ${GATEWAY_NODE_FLAGS.join(' ')} <out>/node/gateway.mjs --config <out>/node/config.json --host 127.0.0.1 --port <port> (the node flags the k8s target deploys it with; API key, rate limit, metrics, usage log)`,
      start: (ctx, own) => startModelgate(ctx, own, 'memory', {}),
    },
    {
      id: 'modelgate-baseline',
      label: 'modelgate baseline (memory limits)',
      display: `node ${baseline} with the same config.json`,
      start: (ctx, own) => startModelgate(ctx, own, 'memory', {}, baseline),
    },
    {
      id: 'modelgate-redis',
      label: 'modelgate (Redis limits)',
      display: 'the same with stores.limits: redis; redis-server on 127.0.0.1',
      start: (ctx, own) => startWithRedis(ctx, own),
    },
    {
      id: 'modelgate-redis-baseline',
      label: 'modelgate baseline (Redis limits)',
      display: `node ${baseline} with the same config.json`,
      start: (ctx, own) => startWithRedis(ctx, own, baseline),
    },
    {
      id: 'portkey',
      label: 'Portkey gateway',
      display: 'node node_modules/@portkey-ai/gateway/build/start-server.js --port=<port> --headless',
      start: async (ctx, own) => {
        const require = createRequire(import.meta.url);
        const pkg = dirname(require.resolve('@portkey-ai/gateway/package.json'));
        const port = await freePort();
        // Portkey binds every interface; the bench only ever sends it traffic on 127.0.0.1.
        const started = own.start('portkey', process.execPath, [join(pkg, 'build/start-server.js'), `--port=${port}`, '--headless'], { cwd: ctx.scratch });
        await waitForHttp(started, `http://127.0.0.1:${port}/`, START_TIMEOUT_MS);
        return {
          url: `http://127.0.0.1:${port}/v1/chat/completions`,
          headers: {
            authorization: `Bearer ${UPSTREAM_KEY}`,
            'x-portkey-provider': 'openai',
            'x-portkey-custom-host': `http://127.0.0.1:${ctx.upstream.port}/v1`,
          },
          model: 'gpt-4o-mini',
          pid: started.pid,
        };
      },
    },
  ];
  return baseline === undefined ? all.filter((s) => !s.id.endsWith('-baseline')) : all;
}

function requestBody(model: string, body: BodyKind): string {
  return JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello.' }], max_tokens: 64, ...(body === 'sse' ? { stream: true } : {}) });
}

/** One real request per body kind before any load: a wrong answer would make the numbers meaningless. */
async function preflight(target: Target, body: BodyKind): Promise<void> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: requestBody(target.model, body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  const expected = body === 'sse' ? 'data: [DONE]' : '"chat.completion"';
  if (response.status !== 200 || !text.includes(expected)) {
    throw new Error(`${body} check: HTTP ${response.status}, body ${JSON.stringify(text.slice(0, 120))}`);
  }
}

export interface GatewayOptions {
  quick: boolean;
  durationS: number;
  /** Only these systems (default: all). */
  only?: readonly string[];
  /** Another build's gateway.mjs, measured with the same config as `modelgate` (before/after in one run). */
  baseline?: string;
  /** Each cell this many times on every system, in turn; the tables show medians (default 1). */
  rounds?: number;
  log: (line: string) => void;
}

interface Cell extends LoadResult {
  system: SystemId;
  body: BodyKind;
  connections: number;
  peakRssKb: number;
}

interface Outcome {
  system: System;
  cells: Cell[];
  /** Why the system was not (fully) measured. */
  reason?: string;
}

export interface GatewayReport {
  markdown: string;
  goals: Goal[];
}

/** Each figure the median over the rounds, errors summed. */
function medianOf(results: readonly LoadResult[]): LoadResult {
  const of = (field: 'requestsPerSecond' | 'p50' | 'p99' | 'p999') => median(results.map((r) => r[field]));
  return { requestsPerSecond: of('requestsPerSecond'), p50: of('p50'), p99: of('p99'), p999: of('p999'), errors: results.reduce((sum, r) => sum + r.errors, 0) };
}

export async function runGatewayBench(options: GatewayOptions): Promise<GatewayReport> {
  const connectionCounts = options.quick ? [50] : [1, 50, 200];
  const rounds = options.rounds ?? 1;
  const warmupS = options.quick ? 0 : 1;
  const group = new ProcessGroup();
  const owned: ProcessGroup[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'modelgate-bench-gateway-'));
  const outcomes: Outcome[] = [];
  const fail = (outcome: Outcome, error: unknown) => {
    outcome.reason = (error as Error).message;
    options.log(`  ${outcome.system.label} -> n/a: ${outcome.reason}`);
  };
  try {
    const mock = await startServer(group, 'mock-upstream', ['bench/servers/mock-upstream.mjs']);
    const base = { group, scratch, upstream: { port: mock.port, pid: mock.started.pid } };
    const ctx: Context = { ...base, builds: { memory: buildGateway(base, false), redis: buildGateway(base, true) } };
    // Failures surface when a system starts; until then an unobserved rejection must not end the run.
    for (const build of Object.values(ctx.builds)) build.catch(() => {});
    const running: { outcome: Outcome; target: Target }[] = [];
    for (const system of systems(options.baseline).filter((s) => !options.only || options.only.includes(s.id))) {
      const outcome: Outcome = { system, cells: [] };
      outcomes.push(outcome);
      const own = new ProcessGroup();
      owned.push(own);
      try {
        options.log(`gateway: starting ${system.label}`);
        const target = await system.start(ctx, own);
        for (const body of BODIES) await preflight(target, body);
        running.push({ outcome, target });
      } catch (error) {
        fail(outcome, error);
        own.dispose();
      }
    }
    // Every system runs each cell in turn, all of them started up front: the load other processes put on the
    // machine drifts during a run, and this way it hits the systems of one cell alike.
    const live = () => running.filter((r) => r.outcome.reason === undefined);
    for (const body of BODIES) {
      for (const { outcome, target } of live()) {
        const spec = { url: target.url, headers: target.headers, body: requestBody(target.model, body) };
        if (warmupS > 0) await runLoad({ ...spec, connections: 50, durationS: warmupS }).catch((error) => fail(outcome, error));
      }
      for (const connections of connectionCounts) {
        const runs = new Map<Outcome, LoadResult[]>();
        for (let round = 0; round < rounds; round++) {
          for (const { outcome, target } of live()) {
            try {
              const result = await runLoad({ url: target.url, headers: target.headers, body: requestBody(target.model, body), connections, durationS: options.durationS });
              runs.set(outcome, [...(runs.get(outcome) ?? []), result]);
              options.log(`  ${outcome.system.label}, ${body} x${connections}: ${formatInt(result.requestsPerSecond)} req/s, p50 ${result.p50.toFixed(2)} ms, ${result.errors} errors`);
            } catch (error) {
              fail(outcome, error);
            }
          }
        }
        for (const { outcome, target } of live()) {
          outcome.cells.push({ system: outcome.system.id, body, connections, ...medianOf(runs.get(outcome)!), peakRssKb: residentKb(target.pid).peak });
        }
      }
    }
  } finally {
    for (const own of owned) own.dispose();
    group.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
  return { markdown: render(outcomes, connectionCounts, options), goals: goals(outcomes) };
}

function ms(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)} ms` : 'n/a';
}

function find(outcomes: Outcome[], system: SystemId, body: BodyKind, connections: number): Cell | undefined {
  return outcomes.find((o) => o.system.id === system)?.cells.find((c) => c.body === body && c.connections === connections);
}

/** Names in the ratio table's header. */
const SHORT: Record<SystemId, string> = {
  upstream: 'upstream',
  proxy: 'proxy',
  modelgate: 'modelgate',
  'modelgate-baseline': 'modelgate baseline',
  'modelgate-redis': 'modelgate (Redis)',
  'modelgate-redis-baseline': 'modelgate baseline (Redis)',
  portkey: 'Portkey',
};

function render(outcomes: Outcome[], connectionCounts: number[], options: GatewayOptions): string {
  const sections: string[] = [];
  for (const body of BODIES) {
    const rows: string[][] = [];
    for (const o of outcomes) {
      for (const connections of connectionCounts) {
        const cell = find(outcomes, o.system.id, body, connections);
        if (!cell) {
          rows.push([o.system.label, String(connections), `n/a (${o.reason ?? 'not measured'})`, '', '', '', '', '', '']);
          continue;
        }
        const upstream = find(outcomes, 'upstream', body, connections);
        const added = o.system.id === 'upstream' || !upstream ? '' : ms(cell.p50 - upstream.p50);
        rows.push([
          o.system.label,
          String(connections),
          formatInt(cell.requestsPerSecond),
          ms(cell.p50),
          ms(cell.p99),
          ms(cell.p999),
          added,
          String(cell.errors),
          formatMb(cell.peakRssKb),
        ]);
      }
    }
    sections.push(
      `### ${body === 'json' ? 'Non-streaming (chat.completion JSON)' : 'Streaming (SSE, 6 events)'}`,
      '',
      table(['system', 'connections', 'req/s', 'p50', 'p99', 'p99.9', 'added p50 vs upstream', 'errors', 'peak RSS'], rows),
      '',
    );
  }
  // Each ratio is a pair of systems; pairs with a system this run did not include are left out.
  const measured = new Set(outcomes.map((o) => o.system.id));
  const pairs = (
    [
      ['modelgate', 'proxy'],
      ['modelgate-baseline', 'proxy'],
      ['modelgate-redis', 'proxy'],
      ['modelgate-redis-baseline', 'proxy'],
      ['modelgate', 'portkey'],
      ['portkey', 'proxy'],
    ] as const
  ).filter(([a, b]) => measured.has(a) && measured.has(b));
  const ratioRows = BODIES.flatMap((body) =>
    connectionCounts.map((connections) => {
      const rps = (s: SystemId) => find(outcomes, s, body, connections)?.requestsPerSecond ?? Number.NaN;
      return [body, String(connections), ...pairs.map(([a, b]) => formatRatio(rps(a) / rps(b)))];
    }),
  );
  sections.push(
    '### Throughput ratios (req/s, same run)',
    '',
    table(['body', 'connections', ...pairs.map(([a, b]) => `${SHORT[a]} / ${SHORT[b]}`)], ratioRows),
    '',
    '### Systems',
    '',
    ...outcomes.map((o) => `- ${o.system.label}: ${code(o.system.display)}`),
    '',
    `autocannon 9 in the bench process, ${options.durationS} s per cell${(options.rounds ?? 1) > 1 ? ` (the median of ${options.rounds} rounds)` : ''} after a ${options.quick ? 0 : 1} s warm-up per body, ` +
      'pipelining 1, on the same cores as the servers. Every system is started first; then each cell (body, connections) ' +
      'runs on every system in turn, so that load from outside the bench drifts alike over the systems compared. Latency percentiles from every 2xx response (float ms); ' +
      '"added p50" is the p50 minus the upstream-alone p50 at the same connections and body. Peak RSS is VmHWM of the ' +
      'process under test after the cell. Errors count connection errors, timeouts and non-2xx answers.',
  );
  return sections.join('\n');
}

function goals(outcomes: Outcome[]): Goal[] {
  const mg = outcomes.find((o) => o.system.id === 'modelgate')?.cells ?? [];
  const rps = (s: SystemId) => find(outcomes, s, 'json', 50)?.requestsPerSecond ?? Number.NaN;
  const vsProxy = rps('modelgate') / rps('proxy');
  const vsPortkey = rps('modelgate') / rps('portkey');
  const one = find(outcomes, 'modelgate', 'json', 1);
  const upstreamOne = find(outcomes, 'upstream', 'json', 1);
  const added = one && upstreamOne ? one.p50 - upstreamOne.p50 : Number.NaN;
  const errors = mg.length > 0 ? mg.reduce((sum, c) => sum + c.errors, 0) : Number.NaN;
  const rss = mg.length > 0 ? Math.max(...mg.map((c) => c.peakRssKb)) : Number.NaN;
  return [
    goal('modelgate ≥ 80 % of the minimal proxy’s req/s (JSON, 50 connections)', formatRatio(vsProxy), vsProxy, (v) => v >= 0.8),
    goal('modelgate ≥ 5× Portkey’s req/s (JSON, 50 connections)', formatRatio(vsPortkey), vsPortkey, (v) => v >= 5),
    goal('modelgate adds ≤ 0.3 ms p50 over the upstream at 1 connection', ms(added), added, (v) => v <= 0.3),
    goal('modelgate: zero errors in every cell', String(errors), errors, (v) => v === 0),
    goal('modelgate RSS ≤ 100 MB', formatMb(rss), rss, (v) => v <= 100 * 1024),
  ];
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'duration-s': { type: 'string' },
      rounds: { type: 'string', default: '1' },
      systems: { type: 'string' },
      baseline: { type: 'string' },
    },
  });
  const only = values.systems?.split(',');
  const unknown = only?.filter((id) => !(id in SHORT));
  if (unknown?.length) {
    process.stderr.write(`bench:gateway: unknown system ${unknown.join(', ')}; systems: ${Object.keys(SHORT).join(', ')}\n`);
    process.exit(2);
  }
  if (!(Number.isInteger(Number(values.rounds)) && Number(values.rounds) >= 1)) {
    process.stderr.write(`bench:gateway: --rounds takes a whole number from 1\n`);
    process.exit(2);
  }
  const report = await runGatewayBench({
    quick: values.quick,
    only,
    baseline: values.baseline === undefined ? undefined : resolve(values.baseline),
    rounds: Number(values.rounds),
    durationS: Number(values['duration-s'] ?? (values.quick ? 3 : 4)),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${report.markdown}\n`);
}
