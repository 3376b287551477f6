// Routing cell: what the route strategies and circuit breakers cost a request. One config, four chat routes over
// the same two provider models and a fallback (one per strategy), served by this build's gateway and, with
// --baseline, by another build's gateway.mjs (before the change: every route weighted), both with the node flags
// the k8s target deploys. The figure read is the gateway process's CPU per request (user + system from /proc),
// which a shared machine's load disturbs less than throughput; rounds alternate between the cells so that drift
// falls on all alike.
// Usage: npx tsx bench/routing.ts [--baseline OLD/gateway.mjs] [--requests 4000] [--rounds 5] [--connections 8]
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { stringify } from 'yaml';
import { API_VERSION } from '../schema/kinds.ts';
import { GATEWAY_NODE_FLAGS } from '../targets/node/node-flags.ts';
import { BASELINE_GATEWAY, commandLine, count } from './lib/args.ts';
import { isMain } from './lib/cli.ts';
import { table } from './lib/markdown.ts';
import { freePort, ProcessGroup, waitForHttp, waitForLine, type Started } from './lib/processes.ts';
import { median } from './lib/stats.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const START_TIMEOUT_MS = 20_000;
/** TEST-ONLY key of the bench consumer; the mock upstream accepts any credential. */
const API_KEY = 'mg-bench-routing-key-0001';
const UPSTREAM_KEY_ENV = 'BENCH_UPSTREAM_KEY';
const STRATEGIES = ['weighted', 'priority', 'lowest-latency', 'lowest-cost'] as const;

const labels = { owner: 'bench', team: 'platform' };
const doc = (kind: string, name: string, spec: unknown) => ({ apiVersion: API_VERSION, kind, metadata: { name, labels }, spec });

/** Two providers on the mock (two models each), a route per strategy with two targets and a fallback. */
function writeConfig(dir: string, upstream: string): void {
  const provider = (name: string) =>
    doc('Provider', name, {
      type: 'openai-compatible',
      baseUrl: `${upstream}/v1`,
      credential: `env:${UPSTREAM_KEY_ENV}`,
      models: [
        { name: 'small', inputPricePer1M: name === 'a' ? 0.2 : 0.1, outputPricePer1M: 0.6 },
        { name: 'large', inputPricePer1M: 2.5, outputPricePer1M: 10 },
      ],
    });
  const files: Record<string, unknown> = {
    'gateway.yaml': doc('Gateway', 'bench', { listen: { host: '127.0.0.1' }, logging: { level: 'warn' } }),
    'provider-a.yaml': provider('a'),
    'provider-b.yaml': provider('b'),
    ...Object.fromEntries(
      STRATEGIES.map((strategy) => [
        `route-${strategy}.yaml`,
        doc('Route', strategy, {
          strategy,
          targets: [
            { provider: 'a', model: 'small', weight: 50 },
            { provider: 'b', model: 'small', weight: 50 },
          ],
          fallbacks: [{ provider: 'a', model: 'large' }],
        }),
      ]),
    ),
    'consumer.yaml': doc('Consumer', 'app', { apiKeys: [{ id: 'bench', sha256: createHash('sha256').update(API_KEY).digest('hex') }] }),
    'environment.yaml': doc('Environment', 'bench', { tier: 'development' }),
    'access.yaml': doc('AccessPolicy', 'app', { subjects: { consumers: ['app'] }, routes: ['*'] }),
  };
  mkdirSync(dir, { recursive: true });
  for (const [file, value] of Object.entries(files)) writeFileSync(join(dir, file), stringify(value));
}

/** CPU time (user + system) a process has used, in ms; Linux only (`/proc`), tick resolution (10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Sends `requests` chat requests over `connections`; the non-2xx count. */
function load(url: string, model: string, requests: number, connections: number): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
        connections,
        amount: requests,
        timeout: 10,
      },
      (error, result) => (error ? reject(error) : resolvePromise(result.errors + result.timeouts + result.non2xx)),
    );
  });
}

interface Cell {
  label: string;
  process: Started;
  url: string;
  model: string;
  cpuPerRequest: number[];
  errors: number;
}

export async function runRoutingBench(o: { baseline?: string; requests: number; rounds: number; connections: number }): Promise<string> {
  const group = new ProcessGroup();
  const scratch = mkdtempSync(join(tmpdir(), 'modelgate-bench-routing-'));
  try {
    const mock = group.start('mock upstream', process.execPath, ['bench/servers/mock-upstream.mjs'], { cwd: ROOT });
    const upstream = `http://127.0.0.1:${Number(await waitForLine(mock, /listening (\d+)/, START_TIMEOUT_MS))}`;
    writeConfig(join(scratch, 'config'), upstream);
    const out = join(scratch, 'out');
    const build = group.start(
      'modelgate build',
      process.execPath,
      ['bin/modelgate.mjs', 'build', join(scratch, 'config'), '--env', 'bench', '--target', 'node', '--out', out],
      { cwd: ROOT },
    );
    const status = build.child.exitCode ?? (await new Promise((r) => build.child.on('close', r)));
    if (status !== 0) throw new Error(`modelgate build exited ${status}: ${build.reason()}`);

    const startGateway = async (name: string, entry: string, flags: readonly string[]) => {
      const port = await freePort();
      const args = [...flags, entry, '--config', join(out, 'node/config.json'), '--host', '127.0.0.1', '--port', String(port)];
      const started = group.start(name, process.execPath, args, { cwd: scratch, env: { [UPSTREAM_KEY_ENV]: 'sk-bench' } });
      await waitForHttp(started, `http://127.0.0.1:${port}/healthz`, START_TIMEOUT_MS);
      return { started, url: `http://127.0.0.1:${port}/v1/chat/completions` };
    };
    const current = await startGateway('modelgate', join(out, 'node/gateway.mjs'), GATEWAY_NODE_FLAGS);
    const cells: Cell[] = STRATEGIES.map((strategy) => ({
      label: `this build, ${strategy}`,
      process: current.started,
      url: current.url,
      model: strategy,
      cpuPerRequest: [],
      errors: 0,
    }));
    if (o.baseline) {
      const before = await startGateway('modelgate baseline', o.baseline, GATEWAY_NODE_FLAGS);
      cells.unshift({
        label: 'baseline (weighted, no breakers)',
        process: before.started,
        url: before.url,
        model: 'weighted',
        cpuPerRequest: [],
        errors: 0,
      });
    }
    for (const cell of cells) await load(cell.url, cell.model, Math.min(1000, o.requests), o.connections); // warm-up
    for (let round = 0; round < o.rounds; round++) {
      for (const cell of cells) {
        const before = cpuMs(cell.process.pid);
        cell.errors += await load(cell.url, cell.model, o.requests, o.connections);
        cell.cpuPerRequest.push(((cpuMs(cell.process.pid) - before) * 1000) / o.requests);
      }
    }
    const us = (x: number) => `${x.toFixed(1)} µs`;
    const reference = median(cells[0]!.cpuPerRequest);
    return [
      `${o.requests} chat requests per cell and round over ${o.connections} connections, ${o.rounds} alternating rounds after a warm-up; each route has two targets and a fallback on the mock upstream; gateway CPU (user + system, /proc ticks of 10 ms) per request, medians over the rounds.`,
      '',
      table(
        ['cell', 'CPU per request (median)', 'min – max', `vs ${cells[0]!.label}`, 'errors'],
        cells.map((c) => [
          c.label,
          us(median(c.cpuPerRequest)),
          `${us(Math.min(...c.cpuPerRequest))} – ${us(Math.max(...c.cpuPerRequest))}`,
          `${(median(c.cpuPerRequest) / reference).toFixed(3)}×`,
          String(c.errors),
        ]),
      ),
    ].join('\n');
  } finally {
    group.stopAll();
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const { values } = commandLine({
    script: 'bench/routing.ts',
    summary: 'CPU per request of the route strategies and circuit breakers in the built gateway.',
    options: {
      baseline: BASELINE_GATEWAY,
      requests: count(4000, 'requests per cell and round'),
      rounds: count(5, 'alternating rounds'),
      connections: count(8, 'concurrent connections'),
    },
  });
  console.log(
    await runRoutingBench({
      baseline: values.baseline === undefined ? undefined : resolve(values.baseline),
      requests: values.requests,
      rounds: values.rounds,
      connections: values.connections,
    }),
  );
}
