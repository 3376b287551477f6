// Tracing bench: modelgate's built gateway with and without `telemetry.otlp`, in one run, against the same mock
// upstream, every request sampled and exported to a collector stand-in (bench/servers/otlp-sink.mjs). The two
// gateways run side by side and the rounds alternate between them, so that the load of a shared machine drifts
// over both alike; the ratio of their throughputs is the cost of tracing. On a loaded machine that ratio is mostly
// noise, so the cost is also measured in this process: the CPU time of one request's spans (begin, an attempt,
// end) and of their export to a local sink, sampled against not sampled.
// Usage: npx tsx bench/tracing.ts [--duration-s 4] [--rounds 3] [--connections 32] [--sampling-ratio 1]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IRProvider } from '../compiler/ir/types.ts';
import type { UsageRecord } from '../schema/types.ts';
import type { Candidate } from '../gateway/routing.ts';
import { otelTracing } from '../gateway/telemetry/otel.ts';
import { GATEWAY_NODE_FLAGS } from '../targets/node/node-flags.ts';
import { BENCH_API_KEY, BENCH_ROUTE, UPSTREAM_KEY_ENV, writeGatewayConfig } from './gateway-config.ts';
import { commandLine, count } from './lib/args.ts';
import { isMain } from './lib/cli.ts';
import { runLoad, type LoadResult } from './lib/load.ts';
import { table } from './lib/markdown.ts';
import { cpuMs, freePort, ProcessGroup, waitForHttp, waitForLine } from './lib/processes.ts';
import { formatInt, formatMs, formatRatio, median } from './lib/stats.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 20_000;
const BODY = JSON.stringify({ model: BENCH_ROUTE, messages: [{ role: 'user', content: 'Say hello.' }] });

type Variant = 'off' | 'on';

export async function runTracingBench(o: {
  durationS: number;
  rounds: number;
  connections: number;
  samplingRatio: number;
}): Promise<string> {
  const group = new ProcessGroup();
  const scratch = mkdtempSync(join(tmpdir(), 'modelgate-bench-tracing-'));
  try {
    const upstream = group.start('mock upstream', process.execPath, ['bench/servers/mock-upstream.mjs'], { cwd: ROOT });
    const sink = group.start('otlp sink', process.execPath, ['bench/servers/otlp-sink.mjs'], { cwd: ROOT });
    const [upstreamPort, sinkPort] = await Promise.all(
      [upstream, sink].map(async (s) => Number(await waitForLine(s, /listening (\d+)/, START_TIMEOUT_MS))),
    );
    const origins = {} as Record<Variant, string>;
    const pids = {} as Record<Variant, number>;
    for (const variant of ['off', 'on'] as const) {
      const config = join(scratch, `config-${variant}`);
      const out = join(scratch, `out-${variant}`);
      writeGatewayConfig(config, {
        upstreamPort,
        redis: false,
        usageLogPath: join(scratch, `usage-${variant}.log`),
        ...(variant === 'on' ? { otlp: { endpoint: `http://127.0.0.1:${sinkPort}/v1/traces`, samplingRatio: o.samplingRatio } } : {}),
      });
      const build = spawnSync(process.execPath, ['bin/modelgate.mjs', 'build', config, '--env', 'prod', '--target', 'node', '--out', out], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      if (build.status !== 0) throw new Error(`modelgate build exited ${build.status}: ${build.stderr}`);
      const port = await freePort();
      const gateway = group.start(
        `modelgate (tracing ${variant})`,
        process.execPath,
        [...GATEWAY_NODE_FLAGS, join(out, 'node/gateway.mjs'), '--config', join(out, 'node/config.json'), '--port', String(port)],
        { cwd: scratch, env: { [UPSTREAM_KEY_ENV]: 'sk-bench-upstream' } },
      );
      origins[variant] = `http://127.0.0.1:${port}`;
      pids[variant] = gateway.pid;
      await waitForHttp(gateway, `${origins[variant]}/healthz`, START_TIMEOUT_MS);
    }
    const load = (variant: Variant, durationS: number) =>
      runLoad({
        url: `${origins[variant]}/v1/chat/completions`,
        headers: { authorization: `Bearer ${BENCH_API_KEY}` },
        body: BODY,
        connections: o.connections,
        durationS,
      });
    // Warm-up: JIT, connections, the first export.
    await load('off', 1);
    await load('on', 1);
    const results: Record<Variant, LoadResult[]> = { off: [], on: [] };
    /** The gateway's CPU time per request, µs: less skewed by a loaded machine than throughput is. */
    const cpu: Record<Variant, number[]> = { off: [], on: [] };
    for (let r = 0; r < o.rounds; r++) {
      // Alternate which goes first, so neither always follows the other's garbage.
      for (const variant of r % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const before = cpuMs(pids[variant]);
        const result = await load(variant, o.durationS);
        results[variant].push(result);
        cpu[variant].push(((cpuMs(pids[variant]) - before) * 1000) / (result.requestsPerSecond * o.durationS));
      }
    }
    const rps = (v: Variant) => median(results[v].map((x) => x.requestsPerSecond));
    const row = (v: Variant, label: string) => {
      const xs = results[v];
      return [
        label,
        formatInt(rps(v)),
        formatMs(median(xs.map((x) => x.p50))),
        formatMs(median(xs.map((x) => x.p99))),
        `${formatInt(median(cpu[v]))} µs`,
        formatInt(xs.reduce((n, x) => n + x.errors, 0)),
      ];
    };
    const [sampled, unsampled] = [await spanCostUs(1), await spanCostUs(0)];
    return [
      `Non-streaming chat completions, ${o.connections} connections, ${o.rounds} alternating rounds of ${o.durationS} s per gateway (medians); ` +
        `tracing on: \`samplingRatio: ${o.samplingRatio}\`, a request span and an attempt span per sampled request, exported as OTLP/HTTP protobuf to a local sink.`,
      '',
      table(
        ['gateway', 'req/s', 'p50', 'p99', 'gateway CPU per request', 'errors'],
        [row('off', 'tracing off'), row('on', 'tracing on (OTLP export)')],
      ),
      '',
      `Throughput with tracing on / off: **${formatRatio(rps('on') / rps('off'))}**; gateway CPU per request on / off: ` +
        `**${formatRatio(median(cpu.on) / median(cpu.off))}** (user + system from /proc, 10 ms ticks over each round).`,
      '',
      `In process, ${formatInt(SPAN_REQUESTS)} requests' spans (a request and an attempt span, ended, exported to a local sink, sink included): ` +
        `**${formatInt(sampled)} µs** of CPU per request sampled, ${formatInt(unsampled)} µs not sampled (the loop's own cost included in both).`,
    ].join('\n');
  } finally {
    group.stopAll();
    rmSync(scratch, { recursive: true, force: true });
  }
}

const SPAN_REQUESTS = 20_000;

/**
 * CPU µs per request of the tracing itself, in this process: a request span and an attempt span made, ended and
 * exported (to a sink that reads and drops), at a pace the export keeps up with; `samplingRatio` 0 makes the same
 * calls on spans that are not recorded.
 */
export async function spanCostUs(samplingRatio: number): Promise<number> {
  const sink = createServer((req, res) => req.resume().on('end', () => res.end()));
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/v1/traces`;
  const tracing = otelTracing({ endpoint, headers: {}, samplingRatio, serviceName: 'bench' }, {}, () => {});
  const provider = { name: 'mock', type: 'openai', baseUrl: 'http://127.0.0.1:4010/v1' } as IRProvider;
  const c = { provider: { ir: provider }, model: { name: 'gpt-4o-mini' } } as Candidate;
  const record = {
    status: 200,
    requestId: 'bench',
    api: 'chat',
    cache: 'bypass',
    attempts: 1,
    costUsd: 1e-5,
    stream: false,
    consumer: 'bench-client',
    route: BENCH_ROUTE,
    inputTokens: 9,
    outputTokens: 9,
  } as UsageRecord;
  const answer = Buffer.from('{"choices":[{"index":0,"finish_reason":"stop"}]}');
  const one = () => {
    const trace = tracing.begin({}, performance.now(), 'chat')!;
    trace.attempt(c, []);
    trace.attempted(c, 'ok');
    trace.answered(answer);
    trace.end({ record, requestedModel: BENCH_ROUTE, last: c });
  };
  const run = async (n: number) => {
    // 20 requests every 2 ms (10,000 a second): the batch export keeps up, so nothing is dropped.
    for (let i = 0; i < n; i++) if ((one(), i % 20 === 19)) await new Promise((r) => setTimeout(r, 2));
    await new Promise((r) => setTimeout(r, 1500)); // the last batch
  };
  await run(2000);
  const before = process.cpuUsage();
  await run(SPAN_REQUESTS);
  const used = process.cpuUsage(before);
  await tracing.close();
  sink.close();
  return (used.user + used.system) / SPAN_REQUESTS;
}

if (isMain(import.meta.url)) {
  const { values } = commandLine({
    script: 'bench/tracing.ts',
    summary: "The built gateway with and without telemetry.otlp, side by side, and one request's span cost in process.",
    options: {
      'duration-s': { type: 'number', default: 4, description: 'seconds of load per gateway and round' },
      rounds: count(3, 'alternating rounds'),
      connections: count(32, 'concurrent connections'),
      'sampling-ratio': { type: 'number', min: 0, default: 1, description: 'share of requests traced, 0 to 1' },
    },
  });
  console.log(
    await runTracingBench({
      durationS: values['duration-s'],
      rounds: values.rounds,
      connections: values.connections,
      samplingRatio: values['sampling-ratio'],
    }),
  );
}
