// Guardrail bench cell: the cost of the built-in checkers (pii, secrets, deniedTopics on request and response, all
// `flag`, so every text is scanned and every request passes) through modelgate's built gateway, against the same
// gateway and mock upstream on a route without guardrails. JSON: a 4 KB prompt, 1 connection, added mean latency
// (goal ≤ 0.1 ms). Stream: the mock's 6-event answer with a response-side guard, requests/s at 8 connections
// (goal ≤ 5 % fewer). Rounds alternate between the two routes, so a shared machine's drift hits both alike.
// `--baseline OLD/gateway.mjs`: another build's gateway on the same config, measured in the same rounds. `--null`:
// a third route without guardrails (`twin`) in the same rounds, whose ratio to `plain` is what the method gives for
// no difference (on a shared machine, ±10 % was seen).
// Usage: npx tsx bench/guardrails.ts [--duration-s 3] [--rounds 3] [--baseline OLD/gateway.mjs] [--null]
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { API_VERSION } from '../schema/kinds.ts';
import { BENCH_GUARDRAILS } from './gateway-config.ts';
import { commandLine, count } from './lib/args.ts';
import { isMain } from './lib/cli.ts';
import { currentLoad, loadSince } from './lib/machine.ts';
import { runLoad, type LoadResult } from './lib/load.ts';
import { table } from './lib/markdown.ts';
import { startBuiltGateway, startGatewayBundle } from './lib/built-gateway.ts';
import { cpuMs, ProcessGroup, waitForLine } from './lib/processes.ts';
import { median } from './lib/stats.ts';

type Measured = LoadResult & { cpuUs: number };
type Lane = 'plain' | 'guarded' | 'twin';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 20_000;
/** TEST-ONLY key of the bench consumer; the mock upstream accepts any credential. */
const API_KEY = 'mg-bench-guard-key-0001';
const UPSTREAM_KEY_ENV = 'BENCH_UPSTREAM_KEY';

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
    'environment.yaml': [doc('Environment', 'bench', { tier: 'development' })],
    'access.yaml': [doc('AccessPolicy', 'app', { subjects: { consumers: ['app'] }, routes: ['plain', 'guarded', 'twin'] })],
  };
  mkdirSync(dir, { recursive: true });
  for (const [file, docs] of Object.entries(files)) writeFileSync(join(dir, file), docs.map((d) => stringify(d)).join('---\n'));
}

/** A cell's two table rows and its verdict, from its rounds on each route. */
function cellResult(name: string, stream: boolean, runs: Record<Lane, Measured[]>) {
  const rows: string[][] = [];
  const stat = (rs: Measured[]) => ({
    rps: mean(rs.map((x) => x.requestsPerSecond)),
    ms: mean(rs.map((x) => x.mean)),
    cpuUs: mean(rs.map((x) => x.cpuUs)),
    errors: rs.reduce((a, x) => a + x.errors, 0),
  });
  const [plain, guarded] = [stat(runs.plain), stat(runs.guarded)];
  // Each round measures both routes back to back: the spread of its ratios shows how far the run's noise goes.
  const perRound = runs.plain.map((p, r) =>
    stream ? runs.guarded[r]!.requestsPerSecond / p.requestsPerSecond : runs.guarded[r]!.mean - p.mean,
  );
  for (const [label, s] of [
    ['no guardrail', plain],
    ['pii + secrets + topics', guarded],
  ] as const) {
    rows.push([name, label, s.rps.toFixed(0), `${f3(s.ms)} ms`, `${s.cpuUs.toFixed(0)} µs`, String(s.errors)]);
  }
  const ratio = guarded.rps / plain.rps;
  // The gateway is CPU-bound in this cell, so requests/s goes as 1 / CPU per request: the CPU ratio gives the
  // requests/s ratio the guard costs, a figure a shared machine's load disturbs far less. The median of the rounds'
  // ratios (each round measures both routes back to back) lets one disturbed round weigh no more than another.
  const cpuRatio = median(runs.plain.map((p, r) => p.cpuUs / runs.guarded[r]!.cpuUs));
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const spread = `per round ${perRound.map((x) => x.toFixed(3)).join(', ')}`;
  const twin = runs.twin.length
    ? `; null check, plain/twin CPU per request (identical routes) **${median(runs.plain.map((p, r) => p.cpuUs / runs.twin[r]!.cpuUs)).toFixed(3)}**`
    : '';
  const verdict = stream
    ? `${name}: guarded/plain req/s **${ratio.toFixed(3)}** (goal ≥ 0.95: ${met(ratio >= 0.95)}; ${spread}); ` +
      `from CPU per request (${(guarded.cpuUs - plain.cpuUs).toFixed(0)} µs more) **${cpuRatio.toFixed(3)}**, median of the rounds (goal ≥ 0.95: ${met(cpuRatio >= 0.95)})${twin}`
    : `${name}: added mean **${f3(guarded.ms - plain.ms)} ms** (goal ≤ 0.1 ms: ${met(guarded.ms - plain.ms <= 0.1)}; ${spread} ms), ` +
      `req/s ratio ${ratio.toFixed(3)}, ${(guarded.cpuUs - plain.cpuUs).toFixed(0)} µs more CPU per request`;
  return { rows, verdict };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f3 = (x: number) => x.toFixed(3);

export async function runGuardrailBench(durationS: number, rounds: number, baseline?: string, withNull = false): Promise<string> {
  const lanes: Lane[] = withNull ? ['plain', 'guarded', 'twin'] : ['plain', 'guarded'];
  const loadAtStart = currentLoad();
  const group = new ProcessGroup();
  const scratch = mkdtempSync(join(tmpdir(), 'modelgate-bench-guardrails-'));
  try {
    const upstream = group.start('mock upstream', process.execPath, ['bench/servers/mock-upstream.mjs'], { cwd: ROOT });
    const upstreamPort = Number(await waitForLine(upstream, /listening (\d+)/, START_TIMEOUT_MS));
    writeConfig(join(scratch, 'config'), upstreamPort);
    const env = { [UPSTREAM_KEY_ENV]: 'bench-upstream-key' };
    const built = await startBuiltGateway(group, scratch, join(scratch, 'config'), 'bench', env);
    const builds = [{ name: 'this build', port: built.port, pid: built.gateway.pid }];
    if (baseline) {
      const old = await startGatewayBundle(group, scratch, baseline, built.config, env);
      builds.push({ name: 'baseline', port: old.port, pid: old.gateway.pid });
    }

    /** A load run, with the gateway's CPU per request (user + system): steadier than req/s on a shared machine. */
    const load = async ({ port, pid }: (typeof builds)[number], model: string, stream: boolean, connections: number) => {
      const cpuBefore = cpuMs(pid);
      const result = await runLoad({
        url: `http://127.0.0.1:${port}/v1/chat/completions`,
        headers: { authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: stream ? 'hello' : PROMPT }] }),
        connections,
        durationS,
      });
      return { ...result, cpuUs: ((cpuMs(pid) - cpuBefore) * 1000) / (result.requestsPerSecond * durationS) };
    };
    const cells = [
      { name: 'chat JSON, 4 KB prompt, 1 connection', stream: false, connections: 1 },
      { name: 'chat stream (6 events), 8 connections', stream: true, connections: 8 },
    ];
    const rows: string[][] = [];
    const verdicts: string[] = [];
    for (const cell of cells) {
      for (const build of builds) {
        await load(build, 'plain', cell.stream, cell.connections); // warm-up, both paths
        await load(build, 'guarded', cell.stream, cell.connections);
      }
      const runs = builds.map((): Record<Lane, Measured[]> => ({ plain: [], guarded: [], twin: [] }));
      // ABBA order: the route measured second in a round was seen to lose up to 8 % against an identical one.
      for (let r = 0; r < rounds; r++) {
        // The null check is read on the stream cell only.
        const cellLanes = cell.stream ? lanes : lanes.filter((l) => l !== 'twin');
        const order = builds.flatMap((_, b) => cellLanes.map((route) => [b, route] as const));
        for (const [b, route] of r % 2 === 0 ? order : order.reverse()) {
          runs[b]![route].push(await load(builds[b]!, route, cell.stream, cell.connections));
        }
      }
      builds.forEach((build, b) => {
        const of = builds.length > 1 ? ` (${build.name})` : '';
        const { rows: cellRows, verdict } = cellResult(`${cell.name}${of}`, cell.stream, runs[b]!);
        rows.push(...cellRows);
        verdicts.push(verdict);
      });
    }
    return [
      `${rounds} alternating rounds of ${durationS} s per route and cell, after a warm-up; means of the rounds. ${loadSince(loadAtStart)}`,
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
      'duration-s': { type: 'number', default: 3, description: 'seconds of load per lane' },
      rounds: count(3, 'alternating rounds'),
      baseline: {
        type: 'string',
        value: 'OLD/gateway.mjs',
        description: "another build's gateway.mjs on the same config, in the same rounds",
      },
      null: { type: 'boolean', description: 'add a twin route without guardrails: the null difference' },
    },
  });
  const baseline = values.baseline && resolve(values.baseline);
  console.log(await runGuardrailBench(values['duration-s'], values.rounds, baseline, values.null));
}
