// Guardrail bench cell: the cost of the built-in checkers (pii, secrets, deniedTopics on request and response, all
// `flag`, so every text is scanned and every request passes) through modelgate's built gateway, against the same
// gateway and mock upstream on a route without guardrails. JSON: a 4 KB prompt, 1 connection, added mean latency
// (goal ≤ 0.1 ms). Stream: the mock's 6-event answer with a response-side guard at 8 connections (goal ≤ 5 % fewer
// requests/s), read from the gateway's CPU per request (the scheduler's ns counters of its threads): the gateway is
// CPU-bound here, so requests/s goes as its inverse, and it is far less disturbed by a shared machine.
// Many short rounds, every lane in each. The stream cell's lanes run at the same time, each on a gateway process of
// its own, the processes swapping lanes from round to round: another program's burst then hits all lanes alike
// (the spread of the rounds' ratios was half that of lanes run one after another on a busy machine). The JSON
// cell's, whose figure is latency, run one after another in an order rotated and reversed from round to round, so
// that drift and a lane's place in the round hit all alike (`--in-turn` runs the stream cell so too). The figure is
// the median of the rounds' ratios with a distribution-free 95 % interval; a goal is met or missed only when the
// whole interval is on one side of it. `--null`: a third route without guardrails (`twin`) in the same rounds,
// whose ratio to `plain` is what the method gives for no difference: its interval should hold 1, and its width is
// the method's resolution. On 2 cores or more the gateways run on CPU 0, this process (the load generator) and the
// mock upstream on CPU 1 (`taskset`): with the lanes at once, the null lane's spread was about a third smaller so
// on a busy machine; `--unpinned` leaves the placing to the scheduler. `--baseline OLD/gateway.mjs`: another build's
// gateway on the same config, in the same rounds; make one with `--write-config DIR`, then, in the old checkout,
// `node bin/modelgate.mjs build DIR --env bench --target node --out OLD`.
// Usage: npx tsx bench/guardrails.ts [--duration-s 0.5] [--rounds 24] [--baseline OLD/gateway.mjs] [--null] [--unpinned]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { API_VERSION } from '../schema/kinds.ts';
import { BENCH_GUARDRAILS } from './gateway-config.ts';
import { commandLine, count } from './lib/args.ts';
import { startBuiltGateway, startGatewayBundle } from './lib/built-gateway.ts';
import { isMain } from './lib/cli.ts';
import { type LoadResult, runLoad } from './lib/load.ts';
import { currentLoad, loadSince } from './lib/machine.ts';
import { table } from './lib/markdown.ts';
import { cpuMs, ProcessGroup, waitForLine } from './lib/processes.ts';
import { median, medianInterval } from './lib/stats.ts';

type Measured = LoadResult & { cpuUs: number };
type Lane = 'plain' | 'guarded' | 'twin';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 20_000;
/** TEST-ONLY key of the bench consumer; the mock upstream accepts any credential. */
const API_KEY = 'mg-bench-guard-key-0001';
const UPSTREAM_KEY_ENV = 'BENCH_UPSTREAM_KEY';
const ENVIRONMENT = 'bench';
const GOAL_RATIO = 0.95;
const GOAL_ADDED_MS = 0.1;

const labels = { owner: 'bench', team: 'platform' };
const doc = (kind: string, name: string, spec: unknown) => ({ apiVersion: API_VERSION, kind, metadata: { name, labels }, spec });

/** Prose with numbers (so the numeric PII detectors run too) and nothing that matches: the usual, clean request. */
const PROMPT = 'Order 48213 left warehouse 7 on 2024-05-01 and reached the customer after 3 days without damage. '
  .repeat(43)
  .slice(0, 4096);

function writeConfig(dir: string, upstreamPort: number): void {
  const route = (name: string, guardrails?: string[]) =>
    doc('Route', name, { targets: [{ provider: 'mock', model: 'gpt-4o-mini' }], timeout: '30s', ...(guardrails ? { guardrails } : {}) });
  const files: Record<string, unknown[]> = {
    'gateway.yaml': [
      doc('Gateway', 'bench', {
        listen: { host: '127.0.0.1' },
        logging: { level: 'warn', usage: { enabled: false } },
        kubernetes: { replicas: 1, autoscaling: { enabled: false } },
      }),
    ],
    'provider.yaml': [
      doc('Provider', 'mock', {
        type: 'openai',
        baseUrl: `http://127.0.0.1:${upstreamPort}/v1`,
        credential: `env:${UPSTREAM_KEY_ENV}`,
        timeout: '30s',
        retries: 0,
        models: [{ name: 'gpt-4o-mini', inputPricePer1M: 0.15, outputPricePer1M: 0.6 }],
      }),
    ],
    'guardrails.yaml': [...BENCH_GUARDRAILS],
    'routes.yaml': [
      route('plain'),
      route(
        'guarded',
        BENCH_GUARDRAILS.map((g) => g.metadata.name),
      ),
      route('twin'),
    ],
    'consumer.yaml': [doc('Consumer', 'app', { apiKeys: [{ id: 'bench', sha256: createHash('sha256').update(API_KEY).digest('hex') }] })],
    'environment.yaml': [doc('Environment', ENVIRONMENT, { tier: 'development' })],
    'access.yaml': [doc('AccessPolicy', 'app', { subjects: { consumers: ['app'] }, routes: ['plain', 'guarded', 'twin'] })],
  };
  mkdirSync(dir, { recursive: true });
  for (const [file, docs] of Object.entries(files)) writeFileSync(join(dir, file), docs.map((d) => stringify(d)).join('---\n'));
}

/**
 * CPU time a process has used, in µs, summed over its threads from the scheduler's nanosecond counters: the
 * 10 ms ticks of `/proc/PID/stat` are 1 % of a one-second round. Falls back to the ticks without schedstat.
 */
function processCpuUs(pid: number): number {
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // a thread that ended between the listing and the read
      }
    }
    return ns / 1000;
  } catch {
    return cpuMs(pid) * 1000;
  }
}

/** Binds a process and all its threads to some CPUs (`taskset -c` list, Linux). */
function pin(pid: number, cpus: number | string): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpus), String(pid)], { stdio: 'ignore' });
}

/** `0.957 [0.948–0.966]`: a median and its 95 % interval. */
function withInterval(xs: readonly number[], digits = 3): string {
  const [lo, hi] = medianInterval(xs);
  return `${median(xs).toFixed(digits)} [${lo.toFixed(digits)}–${hi.toFixed(digits)}]`;
}

/** Met, missed, or not decided: a goal is settled only when the whole interval lies on one side of it. */
function decide(xs: readonly number[], meets: (x: number) => boolean): string {
  const [lo, hi] = medianInterval(xs);
  if (meets(lo) && meets(hi)) return 'met';
  if (!meets(lo) && !meets(hi)) return 'NOT met';
  return 'not decided (the interval spans the goal)';
}

/**
 * The spread of the rounds' ratios: 1.4826 × their median absolute deviation, the standard deviation for normal
 * figures, which a round disturbed by another process's burst does not inflate.
 */
function spread(xs: readonly number[]): number {
  const m = median(xs);
  return 1.4826 * median(xs.map((x) => Math.abs(x - m)));
}

/**
 * The lanes' order in round `r`: rotated by one every other round and reversed every other round, so that over
 * 2 × lanes rounds each lane is measured at each place twice and drift hits all alike (the lane measured second in
 * a round was seen to lose up to 8 % against an identical one; with three lanes, reversing alone would keep the
 * guarded one in the middle of every round).
 */
export function roundOrder<T>(lanes: readonly T[], r: number): T[] {
  const shift = Math.floor(r / 2) % lanes.length;
  const rotated = [...lanes.slice(shift), ...lanes.slice(0, shift)];
  return r % 2 === 0 ? rotated : rotated.reverse();
}

/** A cell's table rows and its verdict, from its rounds on each lane of one build. */
function cellResult(name: string, stream: boolean, runs: Record<Lane, Measured[]>) {
  const lanes = (['plain', 'guarded', 'twin'] as const).filter((l) => runs[l].length > 0);
  const laneName = { plain: 'no guardrail', guarded: 'pii + secrets + topics', twin: 'no guardrail (twin)' };
  const rows = lanes.map((l) => {
    const rs = runs[l];
    const at = (f: (x: Measured) => number) => median(rs.map(f));
    const errors = rs.reduce((a, x) => a + x.errors, 0);
    return [
      name,
      laneName[l],
      at((x) => x.requestsPerSecond).toFixed(0),
      `${at((x) => x.mean).toFixed(3)} ms`,
      `${at((x) => x.cpuUs).toFixed(1)} µs`,
      String(errors),
    ];
  });
  const perRound = (lane: Lane, f: (p: Measured, other: Measured) => number) => runs.plain.map((p, r) => f(p, runs[lane][r]!));
  if (!stream) {
    const added = perRound('guarded', (p, g) => g.mean - p.mean);
    const verdict =
      `${name}: added mean latency **${withInterval(added)} ms** (goal ≤ ${GOAL_ADDED_MS} ms: ${decide(added, (x) => x <= GOAL_ADDED_MS)}), ` +
      `${median(perRound('guarded', (p, g) => g.cpuUs - p.cpuUs)).toFixed(1)} µs more CPU per request`;
    return { rows, verdict };
  }
  // plain/guarded CPU per request is the guarded route's requests/s as a share of the plain one's on a CPU-bound gateway.
  const byCpu = perRound('guarded', (p, g) => p.cpuUs / g.cpuUs);
  const byRps = perRound('guarded', (p, g) => g.requestsPerSecond / p.requestsPerSecond);
  const addedUs = perRound('guarded', (p, g) => g.cpuUs - p.cpuUs);
  let verdict =
    `${name}: guarded/plain by CPU per request **${withInterval(byCpu)}** (goal ≥ ${GOAL_RATIO}: ${decide(byCpu, (x) => x >= GOAL_RATIO)}; ` +
    `${withInterval(addedUs, 1)} µs more per request; spread ${spread(byCpu).toFixed(3)}), by req/s ${withInterval(byRps)} (spread ${spread(byRps).toFixed(3)})`;
  if (runs.twin.length) {
    const nullCpu = perRound('twin', (p, t) => p.cpuUs / t.cpuUs);
    const nullRps = perRound('twin', (p, t) => t.requestsPerSecond / p.requestsPerSecond);
    verdict +=
      `; null lane (identical routes) by CPU **${withInterval(nullCpu)}** (spread ${spread(nullCpu).toFixed(3)}), ` +
      `by req/s ${withInterval(nullRps)} (spread ${spread(nullRps).toFixed(3)})`;
  }
  return { rows, verdict };
}

export interface GuardrailBenchOptions {
  durationS: number;
  rounds: number;
  baseline?: string;
  /** A twin route without guardrails in the stream cell's rounds. */
  withNull?: boolean;
  /** Gateways on CPU 0, the load generator and the mock upstream on CPU 1 (default on 2 cores or more). */
  pinned?: boolean;
  /** The cells to measure (default both). */
  cells?: readonly CellName[];
  /** Where to write every round's figures (JSON), for a second look at the spread. */
  samplesFile?: string;
  /** The stream cell's lanes in turn on one gateway process, rather than at the same time, each on its own. */
  inTurn?: boolean;
}

type CellName = 'json' | 'stream';
type Cell = (typeof CELLS)[number];
interface Gateway {
  port: number;
  pid: number;
}
/** Seconds of load per lane in each warm-up round: V8 still compiles the paths in the first seconds under load. */
const WARM_UP_S = 3;
const CELLS = [
  { id: 'json', name: 'chat JSON, 4 KB prompt, 1 connection', stream: false, connections: 1 },
  { id: 'stream', name: 'chat stream (6 events), 8 connections', stream: true, connections: 8 },
] as const;

export async function runGuardrailBench({
  durationS,
  rounds,
  baseline,
  withNull = false,
  pinned = availableParallelism() >= 2,
  cells = ['json', 'stream'],
  samplesFile,
  inTurn = false,
}: GuardrailBenchOptions): Promise<string> {
  const lanes: Lane[] = withNull ? ['plain', 'guarded', 'twin'] : ['plain', 'guarded'];
  const loadAtStart = currentLoad();
  const cores = availableParallelism();
  let loadMax = loadAtStart;
  const group = new ProcessGroup();
  const scratch = mkdtempSync(join(tmpdir(), 'modelgate-bench-guardrails-'));
  try {
    const upstream = group.start('mock upstream', process.execPath, ['bench/servers/mock-upstream.mjs'], { cwd: ROOT });
    const upstreamPort = Number(await waitForLine(upstream, /listening (\d+)/, START_TIMEOUT_MS));
    writeConfig(join(scratch, 'config'), upstreamPort);
    const env = { [UPSTREAM_KEY_ENV]: 'bench-upstream-key' };
    const built = await startBuiltGateway(group, scratch, join(scratch, 'config'), ENVIRONMENT, env);
    // Side by side, the stream cell's lanes each need a gateway of their own; in turn, one serves them all.
    const perBuild = !inTurn && cells.includes('stream') ? lanes.length : 1;
    const start = async (bundle: string, first?: Gateway): Promise<Gateway[]> => {
      const gateways = first ? [first] : [];
      while (gateways.length < perBuild) {
        const { port, gateway } = await startGatewayBundle(group, scratch, bundle, built.config, env);
        gateways.push({ port, pid: gateway.pid });
      }
      return gateways;
    };
    const builds = [
      { name: 'this build', gateways: await start(join(scratch, 'out/node/gateway.mjs'), { port: built.port, pid: built.gateway.pid }) },
    ];
    if (baseline) builds.push({ name: 'baseline', gateways: await start(baseline) });
    if (pinned) {
      for (const b of builds) for (const g of b.gateways) pin(g.pid, 0);
      pin(upstream.pid, 1);
      pin(process.pid, 1);
    }

    /** One load run on one gateway, with the requests it completed. */
    const loadOn = async ({ port }: Gateway, route: Lane, cell: Cell, seconds: number) => {
      const started = performance.now();
      const result = await runLoad({
        url: `http://127.0.0.1:${port}/v1/chat/completions`,
        headers: { authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify({ model: route, stream: cell.stream, messages: [{ role: 'user', content: cell.stream ? 'hello' : PROMPT }] }),
        connections: cell.connections,
        durationS: seconds,
      });
      return { result, requests: (result.requestsPerSecond * (performance.now() - started)) / 1000 };
    };
    /** Load runs started together, each on its own gateway, with that gateway's CPU per request (user + system). */
    const measure = async (runs: readonly { gateway: Gateway; route: Lane }[], cell: Cell, seconds = durationS): Promise<Measured[]> => {
      const before = runs.map((r) => processCpuUs(r.gateway.pid));
      const loads = await Promise.all(runs.map((r) => loadOn(r.gateway, r.route, cell, seconds)));
      loadMax = Math.max(loadMax, currentLoad());
      return loads.map(({ result, requests }, i) => ({ ...result, cpuUs: (processCpuUs(runs[i]!.gateway.pid) - before[i]!) / requests }));
    };
    const rows: string[][] = [];
    const verdicts: string[] = [];
    const samples: Record<string, Record<Lane, Measured[]>> = {};
    for (const cell of CELLS.filter((c) => cells.includes(c.id))) {
      // The null lane is read on the stream cell only.
      const cellLanes = cell.stream ? lanes : lanes.filter((l) => l !== 'twin');
      const runs = builds.map((): Record<Lane, Measured[]> => ({ plain: [], guarded: [], twin: [] }));
      /** Round `r` (negative: a warm-up round, not kept). */
      const round = async (r: number, seconds: number) => {
        const keep = (b: number, route: Lane, m: Measured) => r >= 0 && runs[b]![route].push(m);
        if (cell.stream && !inTurn) {
          // Every lane at once, on the build's gateways in turn, so that each gateway serves each lane as often.
          for (const b of roundOrder([...builds.keys()], Math.max(0, r))) {
            const gateways = builds[b]!.gateways;
            const runsNow = cellLanes.map((route, j) => ({ gateway: gateways[(j + r + cellLanes.length) % gateways.length]!, route }));
            (await measure(runsNow, cell, seconds)).forEach((m, j) => keep(b, cellLanes[j]!, m));
          }
          return;
        }
        const order = builds.flatMap((_, b) => cellLanes.map((route) => [b, route] as const));
        for (const [b, route] of roundOrder(order, Math.max(0, r))) {
          keep(b, route, (await measure([{ gateway: builds[b]!.gateways[0]!, route }], cell, seconds))[0]!);
        }
      };
      // Warm-up: every gateway serves every lane (V8 compiles the guarded path too) before anything is kept.
      for (let w = -perBuild; w < 0; w++) await round(w, WARM_UP_S);
      for (let r = 0; r < rounds; r++) await round(r, durationS);
      builds.forEach((build, b) => {
        const of = builds.length > 1 ? ` (${build.name})` : '';
        const { rows: cellRows, verdict } = cellResult(`${cell.name}${of}`, cell.stream, runs[b]!);
        rows.push(...cellRows);
        samples[`${cell.id} (${build.name})`] = runs[b]!;
        verdicts.push(verdict);
      });
    }
    // Every CPU again for this process: the report counts the machine's cores from its affinity.
    if (pinned) pin(process.pid, `0-${cores - 1}`);
    if (samplesFile) writeFileSync(samplesFile, `${JSON.stringify(samples, null, 1)}\n`);
    const streamLanes = perBuild > 1 ? "the stream cell's at once, each on its own gateway process" : 'one after another';
    const pinning = pinned ? 'Gateways pinned to CPU 0, load generator and mock upstream to CPU 1. ' : '';
    return [
      `${rounds} rounds of ${durationS} s per lane and cell after a warm-up, every lane in each round (${streamLanes}); ` +
        `medians of the rounds and of the per-round ratios, with 95 % intervals for the median. ${pinning}` +
        `${loadSince(loadAtStart)} Highest seen between rounds: ${loadMax.toFixed(1)}.`,
      '',
      table(['cell', 'route', 'req/s', 'mean latency', 'gateway CPU per request', 'errors'], rows),
      '',
      ...verdicts.map((v) => `- ${v}`),
    ].join('\n');
  } finally {
    group.stopAll();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const { values } = commandLine({
    script: 'bench/guardrails.ts',
    summary: "The built-in guardrails' cost through the built gateway, against a route without guardrails.",
    options: {
      'duration-s': { type: 'number', min: 0.25, default: 0.5, description: 'seconds of load per lane and round' },
      rounds: count(24, 'rounds, each measuring every lane'),
      baseline: {
        type: 'string',
        value: 'OLD/gateway.mjs',
        description: "another build's gateway.mjs on the same config, in the same rounds (see --write-config)",
      },
      null: { type: 'boolean', description: 'add a twin route without guardrails: the null difference' },
      unpinned: { type: 'boolean', description: 'let the scheduler place the processes (default: gateways on CPU 0, the rest on CPU 1)' },
      samples: { type: 'string', value: 'FILE', description: "write every round's figures to FILE (JSON)" },
      'in-turn': { type: 'boolean', description: "the stream cell's lanes one after another on one gateway process" },
      cell: { type: 'string', choices: ['both', 'json', 'stream'], default: 'both', description: 'the cells to measure' },
      'write-config': {
        type: 'string',
        value: 'DIR',
        description:
          "write the cell's config repo to DIR and exit: build a baseline from it with the old checkout's `node bin/modelgate.mjs build DIR --env bench --target node --out OLD`",
      },
    },
  });
  if (values['write-config']) {
    writeConfig(resolve(values['write-config']), 9);
  } else {
    const baseline = values.baseline && resolve(values.baseline);
    const cells = values.cell === 'both' ? undefined : [values.cell as CellName];
    console.log(
      await runGuardrailBench({
        durationS: values['duration-s'],
        rounds: values.rounds,
        baseline,
        withNull: values.null,
        pinned: values.unpinned ? false : undefined,
        cells,
        samplesFile: values.samples,
        inTurn: values['in-turn'],
      }),
    );
  }
}
