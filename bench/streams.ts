// Stream cell (issues #15 and #20): the SSE answers passed through as bytes (chat to an OpenAI-type provider, chat
// again through a response guard, Messages to Anthropic, Responses to OpenAI) through this build's gateway, another build's (`--baseline`) on the same
// config, and the bare keep-alive proxy, against the same mock upstream. Many short ABBA rounds, the three systems
// back to back in each, so that the load other processes put on a shared machine hits them alike; medians, and the
// gateway's CPU per request from /proc beside req/s (steadier on a loaded machine). The whole-figure gateway bench
// (bench/gateway.ts) measures every API and body once or twice; this one measures only the streams, many times.
// Usage: npx tsx bench/streams.ts [--baseline OLD/gateway.mjs] [--rounds 8] [--duration-s 3] [--connections 50,1]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APIS, type ApiId } from './gateway-apis.ts';
import {
  BENCH_ANTHROPIC_ROUTE,
  BENCH_API_KEY,
  BENCH_GUARDED_ROUTE,
  BENCH_ROUTE,
  UPSTREAM_KEY_ENV,
  writeGatewayConfig,
} from './gateway-config.ts';
import { startBuiltGateway, startGatewayBundle } from './lib/built-gateway.ts';
import { BASELINE_GATEWAY, commandLine, count } from './lib/args.ts';
import { isMain } from './lib/cli.ts';
import { currentLoad, loadSince } from './lib/machine.ts';
import { table } from './lib/markdown.ts';
import { runLoad } from './lib/load.ts';
import { cpuMs, ProcessGroup, waitForLine } from './lib/processes.ts';
import { median } from './lib/stats.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 20_000;

/**
 * The passed-through streams: the API, and the gateway route whose provider speaks it; chat also on a route with
 * the guardrail benches' three built-in guardrails (the proxy, guarding nothing, serves it as plain chat).
 */
const LANES: { name: string; api: ApiId; route: string; proxyModel: string }[] = [
  { name: 'chat SSE', api: 'chat', route: BENCH_ROUTE, proxyModel: 'gpt-4o-mini' },
  { name: 'chat SSE, pii + secrets + topics', api: 'chat', route: BENCH_GUARDED_ROUTE, proxyModel: 'gpt-4o-mini' },
  { name: 'messages SSE', api: 'messages', route: BENCH_ANTHROPIC_ROUTE, proxyModel: 'claude-bench' },
  { name: 'responses SSE', api: 'responses', route: BENCH_ROUTE, proxyModel: 'gpt-4o-mini' },
];

interface System {
  name: string;
  port: number;
  pid: number;
  proxy: boolean;
}

interface Sample {
  rps: number;
  meanMs: number;
  cpuUs: number;
  errors: number;
}

export async function runStreamBench(o: { baseline?: string; rounds: number; durationS: number; connections: number[] }): Promise<string> {
  const loadAtStart = currentLoad();
  const group = new ProcessGroup();
  const scratch = mkdtempSync(join(tmpdir(), 'modelgate-bench-streams-'));
  try {
    const mock = group.start('mock upstream', process.execPath, ['bench/servers/mock-upstream.mjs'], { cwd: ROOT });
    const upstreamPort = Number(await waitForLine(mock, /listening (\d+)/, START_TIMEOUT_MS));
    writeGatewayConfig(join(scratch, 'config'), { upstreamPort, redis: false, usageLogPath: join(scratch, 'usage.log'), guardrails: true });
    const env = { [UPSTREAM_KEY_ENV]: 'sk-bench-upstream' };
    const built = await startBuiltGateway(group, scratch, join(scratch, 'config'), 'prod', env);
    const systems: System[] = [{ name: 'modelgate', port: built.port, pid: built.gateway.pid, proxy: false }];
    if (o.baseline) {
      const old = await startGatewayBundle(group, scratch, o.baseline, built.config, env);
      systems.push({ name: 'modelgate baseline', port: old.port, pid: old.gateway.pid, proxy: false });
    }
    const proxy = group.start('min-proxy', process.execPath, ['bench/servers/min-proxy.mjs', `http://127.0.0.1:${upstreamPort}`], {
      cwd: ROOT,
    });
    systems.push({
      name: 'minimal keep-alive proxy',
      port: Number(await waitForLine(proxy, /listening (\d+)/, START_TIMEOUT_MS)),
      pid: proxy.pid,
      proxy: true,
    });

    const measure = async (s: System, lane: (typeof LANES)[number], connections: number, durationS: number): Promise<Sample> => {
      const api = APIS[lane.api];
      const before = cpuMs(s.pid);
      const r = await runLoad({
        url: `http://127.0.0.1:${s.port}${api.path}`,
        headers: { authorization: `Bearer ${BENCH_API_KEY}`, ...api.headers },
        body: api.body(s.proxy ? lane.proxyModel : lane.route, 'sse'),
        connections,
        durationS,
      });
      return {
        rps: r.requestsPerSecond,
        meanMs: r.mean,
        cpuUs: ((cpuMs(s.pid) - before) * 1000) / (r.requestsPerSecond * durationS),
        errors: r.errors,
      };
    };

    const rows: string[][] = [];
    const guardCosts: string[] = [];
    for (const connections of o.connections) {
      const samples = new Map<string, Sample[]>();
      for (const lane of LANES) for (const s of systems) await measure(s, lane, connections, 1); // warm-up
      for (let r = 0; r < o.rounds; r++) {
        // ABBA: the order of the lanes and of the systems reverses every other round.
        for (const lane of r % 2 ? [...LANES].reverse() : LANES) {
          for (const s of r % 2 ? [...systems].reverse() : systems) {
            const key = `${lane.name}\0${s.name}`;
            samples.set(key, [...(samples.get(key) ?? []), await measure(s, lane, connections, o.durationS)]);
          }
        }
      }
      for (const lane of LANES) {
        const proxied = samples.get(`${lane.name}\0minimal keep-alive proxy`)!;
        for (const s of systems) {
          const mine = samples.get(`${lane.name}\0${s.name}`)!;
          const m = (f: (x: Sample) => number) => median(mine.map(f));
          // Per round against the proxy measured beside it, then the median: one disturbed round weighs little.
          const vs = (f: (x: Sample) => number) => median(mine.map((x, i) => f(x) / f(proxied[i]!)));
          const added = median(mine.map((x, i) => x.meanMs - proxied[i]!.meanMs));
          rows.push([
            lane.name,
            String(connections),
            s.name,
            m((x) => x.rps).toFixed(0),
            `${m((x) => x.meanMs).toFixed(2)} ms`,
            `${m((x) => x.cpuUs).toFixed(0)} µs`,
            s.proxy ? '' : `${vs((x) => x.rps).toFixed(2)}×`,
            s.proxy ? '' : `${vs((x) => x.cpuUs).toFixed(2)}×`,
            s.proxy ? '' : `${added.toFixed(2)} ms`,
            String(mine.reduce((a, x) => a + x.errors, 0)),
          ]);
        }
      }
      for (const s of systems.filter((x) => !x.proxy)) {
        const [plain, guarded] = [LANES[0]!, LANES[1]!].map((lane) => samples.get(`${lane.name}\0${s.name}`)!);
        // CPU-bound at 50 connections, req/s go as 1 / CPU per request: the CPU ratio is the guard's req/s ratio.
        const ratio = (f: (x: Sample) => number) => median(plain!.map((p, i) => f(p) / f(guarded![i]!))).toFixed(3);
        guardCosts.push(
          `${s.name}, ${connections} connection(s): guarded/unguarded chat SSE by CPU per request ${ratio((x) => x.cpuUs)}, ` +
            `by req/s ${ratio((x) => 1 / x.rps)} (medians of the rounds' ratios)`,
        );
      }
    }
    return [
      `${o.rounds} ABBA rounds of ${o.durationS} s per system and lane after a 1 s warm-up; medians of the rounds, ratios and ` +
        `added latency taken per round against the proxy measured beside it. ${loadSince(loadAtStart)}`,
      '',
      table(
        ['stream', 'connections', 'system', 'req/s', 'mean', 'CPU per request', 'req/s vs proxy', 'CPU vs proxy', 'added mean', 'errors'],
        rows,
      ),
      '',
      ...guardCosts.map((line) => `- ${line}`),
    ].join('\n');
  } finally {
    group.stopAll();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const { values } = commandLine({
    script: 'bench/streams.ts',
    summary: "SSE answers through this build's gateway, another build's and the bare proxy, in short ABBA rounds.",
    options: {
      baseline: BASELINE_GATEWAY,
      rounds: count(8, 'alternating rounds'),
      'duration-s': { type: 'number', default: 3, description: 'seconds of load per cell' },
      connections: { type: 'numbers', integer: true, min: 1, default: [50, 1], description: 'comma-separated connection counts' },
    },
  });
  console.log(
    await runStreamBench({
      baseline: values.baseline && resolve(values.baseline),
      rounds: values.rounds,
      durationS: values['duration-s'],
      connections: values.connections,
    }),
  );
}
