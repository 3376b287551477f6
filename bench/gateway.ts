// Gateway benchmark: autocannon against, in one run, the mock upstream alone, a minimal keep-alive Node
// proxy (the floor), modelgate's built gateway (memory and Redis limits) and Portkey's gateway, all on
// 127.0.0.1, non-streaming and streaming, each cell on every system in turn: chat completions on all of
// them, and the agents' APIs (Anthropic Messages, OpenAI Responses) on the proxy and modelgate, passed
// through and translated (gateway-apis.ts). Every process started here is ended when it finishes or fails.
// Usage: npm run bench:gateway [-- --quick] [-- --duration-s 4] [-- --rounds 3] [-- --systems upstream,proxy,translating-proxy,modelgate]
//        [-- --apis messages,responses]  (only these APIs' cells)
//        [-- --baseline OLD/gateway.mjs]  (also measures another gateway.mjs bundle, same config, same run)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GATEWAY_NODE_FLAGS } from '../targets/node/node-flags.ts';
import { APIS, BODIES, lanes, type ApiId, type BodyKind, type Lane, type SystemId } from './gateway-apis.ts';
import {
  BENCH_ANTHROPIC_ROUTE,
  BENCH_API_KEY,
  BENCH_ROUTE,
  REDIS_URL_ENV,
  UPSTREAM_KEY_ENV,
  writeGatewayConfig,
} from './gateway-config.ts';
import { goals, render, SHORT, type Outcome } from './gateway-report.ts';
import { BASELINE_GATEWAY, commandLine, count, exitWithUsageError } from './lib/args.ts';
import { isMain } from './lib/cli.ts';
import type { Goal } from './lib/goals.ts';
import { runLoad, type LoadResult } from './lib/load.ts';
import { cpuMs, freePort, ProcessGroup, residentKb, waitForHttp, waitForLine, type Started } from './lib/processes.ts';
import { formatInt, median } from './lib/stats.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 20_000;
/**
 * Seconds each lane serves each body before the first cell. A gateway just started costs 900, 600, then 200 µs CPU
 * per request in its first three seconds at 50 connections, about 110 from the fourth on (V8 compiling it): a 1 s
 * warm-up per cell left the first cell's first round on a cold process.
 */
const START_WARMUP_S = 2;
/** A dummy upstream credential: the mock accepts anything, the gateways must still send one. */
const UPSTREAM_KEY = 'sk-bench-upstream';

interface Target {
  /** `http://127.0.0.1:PORT`: the API's path is added per lane. */
  origin: string;
  headers: Record<string, string>;
  /** The model requests name, unless the lane names a route. */
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
  /** Measured only when `--systems` names it. */
  optIn?: boolean;
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

/** One of the proxies of bench/servers in front of the mock upstream. */
async function startProxy(ctx: Context, own: ProcessGroup, script: string, ...flags: string[]): Promise<Target> {
  const { started, port } = await startServer(own, [script, ...flags].join(' '), [
    `bench/servers/${script}`,
    ...flags,
    `http://127.0.0.1:${ctx.upstream.port}`,
  ]);
  return { origin: `http://127.0.0.1:${port}`, headers: {}, model: 'gpt-4o-mini', pid: started.pid };
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
  const build = ctx.group.start(
    `modelgate build (${name})`,
    process.execPath,
    ['bin/modelgate.mjs', 'build', config, '--env', 'prod', '--target', 'node', '--out', out],
    { cwd: ROOT },
  );
  const status = await exitCode(build);
  if (status !== 0) throw new Error(`modelgate build exited ${status}: ${build.reason()}`);
  const entry = findFile(out, 'gateway.mjs');
  if (!entry) throw new Error('modelgate build wrote no gateway.mjs');
  return { entry, config: join(dirname(entry), 'config.json') };
}

async function startModelgate(
  ctx: Context,
  own: ProcessGroup,
  variant: 'memory' | 'redis',
  env: Record<string, string>,
  entry?: string,
): Promise<Target> {
  const built = await ctx.builds[variant];
  const port = await freePort();
  // Both run with the node flags the k8s target deploys them with: without them a baseline would run with another
  // young generation, and garbage collection is part of the CPU per request compared.
  const args = [...GATEWAY_NODE_FLAGS, entry ?? built.entry, '--config', built.config, '--host', '127.0.0.1', '--port', String(port)];
  const started = own.start(`modelgate (${variant})`, process.execPath, args, {
    cwd: dirname(built.entry),
    env: { [UPSTREAM_KEY_ENV]: UPSTREAM_KEY, ...env },
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(started, `${base}/healthz`, START_TIMEOUT_MS);
  return { origin: base, headers: { authorization: `Bearer ${BENCH_API_KEY}` }, model: BENCH_ROUTE, pid: started.pid };
}

/** A redis-server of its own, then the gateway with Redis limits. */
async function startWithRedis(ctx: Context, own: ProcessGroup, entry?: string): Promise<Target> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error('redis-server is not installed (apt-get install redis-server)');
  const port = await freePort();
  const redis = own.start(
    'redis-server',
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', ctx.scratch],
    { cwd: ctx.scratch },
  );
  await waitForLine(redis, /(Ready to accept connections)/, START_TIMEOUT_MS);
  return startModelgate(ctx, own, 'redis', { [REDIS_URL_ENV]: `redis://127.0.0.1:${port}` }, entry);
}

function systems(baseline: string | undefined): System[] {
  const all: System[] = [
    {
      id: 'upstream',
      label: 'mock upstream alone',
      display: 'node bench/servers/mock-upstream.mjs',
      start: async (ctx) => ({ origin: `http://127.0.0.1:${ctx.upstream.port}`, headers: {}, model: 'gpt-4o-mini', pid: ctx.upstream.pid }),
    },
    {
      id: 'proxy',
      label: 'minimal keep-alive proxy',
      display: 'node bench/servers/min-proxy.mjs http://127.0.0.1:<upstream>',
      start: (ctx, own) => startProxy(ctx, own, 'min-proxy.mjs'),
    },
    {
      id: 'proxy-read',
      label: 'keep-alive proxy reading the model',
      display:
        'node bench/servers/min-proxy.mjs --read-model http://127.0.0.1:<upstream> (the whole body read and parsed before it is sent on)',
      optIn: true,
      start: (ctx, own) => startProxy(ctx, own, 'min-proxy.mjs', '--read-model'),
    },
    {
      id: 'translating-proxy',
      label: 'translating keep-alive proxy',
      display:
        'node bench/servers/translating-proxy.mjs http://127.0.0.1:<upstream> (the proxy plus parsing, mapping and encoding each request, answer and event: the floor of translation)',
      optIn: true,
      start: (ctx, own) => startProxy(ctx, own, 'translating-proxy.mjs'),
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
      display: `node ${GATEWAY_NODE_FLAGS.join(' ')} ${baseline} with the same config.json`,
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
      display: `node ${GATEWAY_NODE_FLAGS.join(' ')} ${baseline} with the same config.json`,
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
        const started = own.start('portkey', process.execPath, [join(pkg, 'build/start-server.js'), `--port=${port}`, '--headless'], {
          cwd: ctx.scratch,
        });
        await waitForHttp(started, `http://127.0.0.1:${port}/`, START_TIMEOUT_MS);
        return {
          origin: `http://127.0.0.1:${port}`,
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

/** What a lane sends: its API's request, naming the lane's route or the system's model. */
function laneRequest(lane: Lane, target: Target, body: BodyKind) {
  const api = APIS[lane.api];
  return {
    url: target.origin + api.path,
    headers: { ...api.headers, ...target.headers },
    body: api.body(lane.route?.name ?? target.model, body),
  };
}

/** One real request per body kind before any load: a wrong answer would make the numbers meaningless. */
async function preflight(lane: Lane, target: Target, body: BodyKind): Promise<void> {
  const request = laneRequest(lane, target, body);
  const response = await fetch(request.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...request.headers },
    body: request.body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  // A build from before an API landed: its cells say so instead of failing the run.
  if (response.status === 404 && lane.system.startsWith('modelgate'))
    throw new Error(`not available: the built gateway answers 404 on ${APIS[lane.api].path}`);
  if (response.status !== 200 || !text.includes(APIS[lane.api].answer[body]))
    throw new Error(`${body} check: HTTP ${response.status}, body ${JSON.stringify(text.slice(0, 120))}`);
}

export interface GatewayOptions {
  quick: boolean;
  durationS: number;
  /** Only these systems (default: all). */
  only?: readonly string[];
  /** Only these APIs' cells (default: all). */
  apis?: readonly ApiId[];
  /** Another build's gateway.mjs, measured with the same config as `modelgate` (before/after in one run). */
  baseline?: string;
  /** Each cell this many times on every system, in turn; the tables show medians (default 1). */
  rounds?: number;
  log: (line: string) => void;
}

export interface GatewayReport {
  markdown: string;
  goals: Goal[];
}

/** One sample of a cell: the load's figures and the CPU time (user + system) the process under test spent per request. */
type Measured = LoadResult & { cpuUs: number };

/** Each figure the median over the rounds, errors summed. */
function medianOf(results: readonly Measured[]): Measured {
  const of = (field: 'requestsPerSecond' | 'mean' | 'p50' | 'p99' | 'p999' | 'cpuUs') => median(results.map((r) => r[field]));
  return {
    cpuUs: of('cpuUs'),
    requestsPerSecond: of('requestsPerSecond'),
    mean: of('mean'),
    p50: of('p50'),
    p99: of('p99'),
    p999: of('p999'),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  };
}

export async function runGatewayBench(options: GatewayOptions): Promise<GatewayReport> {
  // The agents' APIs at the connections their goals name only: the whole bench stays within its time budget.
  const connections: Record<ApiId, readonly number[]> = options.quick
    ? { chat: [50], messages: [50], responses: [50] }
    : { chat: [1, 50, 200], messages: [1, 50], responses: [1, 50] };
  const rounds = options.rounds ?? 1;
  const warmupS = options.quick ? 0 : 1;
  const startWarmupS = options.quick ? 0 : START_WARMUP_S;
  const group = new ProcessGroup();
  const owned: ProcessGroup[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'modelgate-bench-gateway-'));
  const chosen = systems(options.baseline).filter((s) => (options.only ? options.only.includes(s.id) : !s.optIn));
  const label = (lane: Lane) => `${chosen.find((s) => s.id === lane.system)!.label}${lane.route ? `, ${lane.route.via}` : ''}`;
  const routes = { openai: BENCH_ROUTE, anthropic: BENCH_ANTHROPIC_ROUTE };
  const outcomes: Outcome[] = lanes(
    chosen.map((s) => s.id),
    routes,
  )
    .filter((lane) => !options.apis || options.apis.includes(lane.api))
    .map((lane) => ({ lane, label: label(lane), cells: [] }));
  const fail = (outcome: Outcome, error: unknown) => {
    outcome.reason = (error as Error).message;
    options.log(`  ${outcome.label} -> n/a: ${outcome.reason}`);
  };
  const targets = new Map<SystemId, Target>();
  try {
    const mock = await startServer(group, 'mock-upstream', ['bench/servers/mock-upstream.mjs']);
    const base = { group, scratch, upstream: { port: mock.port, pid: mock.started.pid } };
    const ctx: Context = { ...base, builds: { memory: buildGateway(base, false), redis: buildGateway(base, true) } };
    // Failures surface when a system starts; until then an unobserved rejection must not end the run.
    for (const build of Object.values(ctx.builds)) build.catch(() => {});
    for (const system of chosen) {
      const own = new ProcessGroup();
      owned.push(own);
      const mine = outcomes.filter((o) => o.lane.system === system.id);
      try {
        options.log(`gateway: starting ${system.label}`);
        targets.set(system.id, await system.start(ctx, own));
      } catch (error) {
        for (const outcome of mine) fail(outcome, error);
        own.dispose();
        continue;
      }
      for (const outcome of mine) {
        try {
          for (const body of BODIES) await preflight(outcome.lane, targets.get(system.id)!, body);
        } catch (error) {
          fail(outcome, error);
        }
      }
    }
    for (const outcome of outcomes) {
      const { api } = outcome.lane;
      const compared = outcomes.some((o) => o.lane.api === api && !o.lane.reference && o.reason === undefined);
      if (outcome.lane.reference && outcome.reason === undefined && !compared)
        outcome.reason = `not measured: no modelgate lane serves ${APIS[api].path}`;
    }
    // Every lane first serves each body it is measured on for a while, before any cell: a process just started runs
    // cold, and the cells measured first would carry it (bench/RESULTS.md, "a fresh gateway's first seconds").
    if (startWarmupS > 0) {
      options.log(`gateway: warming every lane up (${startWarmupS} s per body at 50 connections)`);
      for (const outcome of outcomes.filter((o) => o.reason === undefined)) {
        for (const body of BODIES) {
          const target = targets.get(outcome.lane.system)!;
          await runLoad({ ...laneRequest(outcome.lane, target, body), connections: 50, durationS: startWarmupS }).catch((error) =>
            fail(outcome, error),
          );
        }
      }
    }
    // Every lane runs each cell in turn, all systems started up front: the load other processes put on the
    // machine drifts during a run, and this way it hits the lanes of one cell alike.
    for (const api of Object.values(APIS)) {
      const live = () => outcomes.filter((o) => o.lane.api === api.id && o.reason === undefined);
      for (const body of BODIES) {
        const request = (o: Outcome) => laneRequest(o.lane, targets.get(o.lane.system)!, body);
        for (const outcome of live()) {
          if (warmupS > 0)
            await runLoad({ ...request(outcome), connections: 50, durationS: warmupS }).catch((error) => fail(outcome, error));
        }
        for (const count of connections[api.id]) {
          const runs = new Map<Outcome, Measured[]>();
          for (let round = 0; round < rounds; round++) {
            // Rounds after the first go in reverse order (ABBA): a lane measured last in one is first in the next.
            const order = round % 2 === 0 ? live() : live().reverse();
            for (const outcome of order) {
              try {
                const pid = targets.get(outcome.lane.system)!.pid;
                const cpuBefore = cpuMs(pid);
                const result = await runLoad({ ...request(outcome), connections: count, durationS: options.durationS });
                const cpuUs = ((cpuMs(pid) - cpuBefore) * 1000) / (result.requestsPerSecond * options.durationS);
                runs.set(outcome, [...(runs.get(outcome) ?? []), { ...result, cpuUs }]);
                options.log(
                  `  ${outcome.label}, ${api.id} ${body} x${count}: ${formatInt(result.requestsPerSecond)} req/s, mean ${result.mean.toFixed(2)} ms, ${Math.round(cpuUs)} µs CPU/req, ${result.errors} errors`,
                );
              } catch (error) {
                fail(outcome, error);
              }
            }
          }
          for (const outcome of live()) {
            outcome.cells.push({
              body,
              connections: count,
              ...medianOf(runs.get(outcome)!),
              peakRssKb: residentKb(targets.get(outcome.lane.system)!.pid).peak,
            });
          }
        }
      }
    }
  } finally {
    for (const own of owned) own.dispose();
    group.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
  const backing = `routes: \`${BENCH_ROUTE}\` → an \`openai\` provider, \`${BENCH_ANTHROPIC_ROUTE}\` → an \`anthropic\` provider, both at the mock upstream`;
  const report = { durationS: options.durationS, warmupS, startWarmupS, rounds, connections, systems: chosen, routes: backing };
  return { markdown: render(outcomes, report), goals: goals(outcomes) };
}

if (isMain(import.meta.url)) {
  const script = 'bench/gateway.ts';
  const { values } = commandLine({
    script,
    summary: 'Throughput, latency, CPU and memory of modelgate and the other gateways against a mock upstream.',
    options: {
      quick: { type: 'boolean', description: 'a short run for a first look' },
      'duration-s': { type: 'number', description: 'seconds of load per lane (default 4, 3 with --quick)' },
      rounds: count(1, 'alternating rounds per lane'),
      systems: { type: 'string', value: 'LIST', description: `comma-separated systems to run (${Object.keys(SHORT).join(', ')})` },
      baseline: BASELINE_GATEWAY,
      apis: { type: 'string', value: 'LIST', description: `comma-separated APIs to load (${Object.keys(APIS).join(', ')})` },
    },
  });
  const apis = values.apis?.split(',');
  const unknownApi = apis?.filter((id) => !(id in APIS));
  if (unknownApi?.length) exitWithUsageError(script, `unknown API ${unknownApi.join(', ')}; APIs: ${Object.keys(APIS).join(', ')}`);
  const only = values.systems?.split(',');
  const unknown = only?.filter((id) => !(id in SHORT));
  if (unknown?.length) exitWithUsageError(script, `unknown system ${unknown.join(', ')}; systems: ${Object.keys(SHORT).join(', ')}`);
  const report = await runGatewayBench({
    quick: values.quick,
    only,
    apis: apis as ApiId[] | undefined,
    baseline: values.baseline === undefined ? undefined : resolve(values.baseline),
    rounds: values.rounds,
    durationS: values['duration-s'] ?? (values.quick ? 3 : 4),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${report.markdown}\n`);
}
