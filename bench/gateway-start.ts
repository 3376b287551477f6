// The built gateway at scale: config.json size, time from spawn to the first 200 on /healthz, and RSS after
// start and after a reload (SIGHUP), on generated repos of growing size. Optionally side by side with another
// checkout (`--before /work/main`), whose own CLI builds the repo and whose own bundle serves it; the runs
// alternate (ABBA) so that load from other processes drifts alike over both.
//
//   npx tsx bench/gateway-start.ts [--sizes 1000,10000,50000] [--before DIR] [--rounds 4] [--reuse-builds]
//
// Not a test: the figures go into bench/RESULTS.md by hand, with the load average printed here.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type SecretRef, secretEnvName } from '../kernel/secret-env.ts';
import { commandLine, count } from './lib/args.ts';
import { currentLoad, describeMachine } from './lib/machine.ts';
import { cpuMs, freePort, ProcessGroup, residentKb, type Started, waitForHttp } from './lib/processes.ts';
import { ensureRepo } from './lib/repos.ts';
import { median } from './lib/stats.ts';

const HERE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** No Redis: prod's shared limit store would make start-up wait on a connection, not on the config. */
const ENVIRONMENT = 'staging';
/** A 50,000-resource config of before this change (134 MB) takes over a minute to load on a loaded machine. */
const READY_TIMEOUT_MS = 300_000;
const POLL_MS = 5;
/** After ready and after a reload: lets the start-up's garbage be collected, as it would be before traffic. */
const SETTLE_MS = 1_000;

interface Checkout {
  label: string;
  root: string;
  /** The checkout's own GATEWAY_NODE_FLAGS: how its k8s target runs its gateway. */
  nodeFlags: readonly string[];
}

interface Sample {
  readyMs: number;
  /** CPU the process used until ready: steadier than wall time on a loaded machine. */
  readyCpuMs: number;
  rssStartMb: number;
  reloadMs: number;
  rssReloadMb: number;
  peakMb: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (kb: number) => kb / 1024;

/** Builds the repo with the checkout's own CLI (unless `reuse` and built before); reused for every round. */
function build(checkout: Checkout, repo: string, resources: number, reuse: boolean): string {
  const out = join(tmpdir(), 'modelgate-bench', 'gateway-start', `${checkout.label}-${resources}`);
  if (reuse && existsSync(join(out, 'node/config.json'))) return join(out, 'node');
  mkdirSync(out, { recursive: true });
  execFileSync(
    process.execPath,
    [join(checkout.root, 'bin/modelgate.mjs'), 'build', repo, '--env', ENVIRONMENT, '--target', 'node', '--out', out],
    { cwd: checkout.root, stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 },
  );
  return join(out, 'node');
}

/** A placeholder value for every credential the config references, so that the gateway starts. */
function secretEnv(configText: string): Record<string, string> {
  const env: Record<string, string> = {};
  JSON.parse(configText, (_key, value: unknown) => {
    const ref = value as SecretRef | null;
    if (ref && typeof ref === 'object' && typeof ref.ref === 'string' && typeof ref.source === 'string') {
      const name = secretEnvName(ref);
      if (name) env[name] = 'bench-placeholder-secret';
    }
    return value;
  });
  return env;
}

/** Resolves when the gateway logs `message` (its log lines go to stderr). */
function logLine(gateway: Started, message: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`gateway: no "${message}" after ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      if (!seen.includes(`"msg":"${message}"`)) return;
      clearTimeout(timer);
      gateway.child.stderr?.off('data', onData);
      resolve();
    };
    gateway.child.stderr?.on('data', onData);
  });
}

async function measure(dir: string, nodeFlags: readonly string[], env: Record<string, string>): Promise<Sample> {
  const group = new ProcessGroup();
  try {
    const port = await freePort();
    const args = [
      ...nodeFlags,
      join(dir, 'gateway.mjs'),
      '--config',
      join(dir, 'config.json'),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ];
    const started = performance.now();
    const gateway = group.start('gateway', process.execPath, args, { cwd: dir, env });
    await waitForHttp(gateway, `http://127.0.0.1:${port}/healthz`, READY_TIMEOUT_MS, POLL_MS);
    const readyMs = performance.now() - started;
    const readyCpuMs = cpuMs(gateway.pid);
    await sleep(SETTLE_MS);
    const rssStart = residentKb(gateway.pid).rss;
    const reloaded = logLine(gateway, 'config reloaded');
    const signalled = performance.now();
    process.kill(gateway.pid, 'SIGHUP');
    await reloaded;
    const reloadMs = performance.now() - signalled;
    await sleep(SETTLE_MS);
    const after = residentKb(gateway.pid);
    return { readyMs, readyCpuMs, rssStartMb: mb(rssStart), reloadMs, rssReloadMb: mb(after.rss), peakMb: mb(after.peak) };
  } finally {
    group.dispose();
  }
}

async function main(): Promise<void> {
  const { values } = commandLine({
    script: 'bench/gateway-start.ts',
    summary: 'The built gateway at scale: config.json size, time to ready, RSS after start and after a reload.',
    options: {
      sizes: {
        type: 'numbers',
        integer: true,
        min: 1,
        default: [1000, 10000, 50000],
        description: 'comma-separated repo sizes in resources',
      },
      before: { type: 'string', value: 'DIR', description: 'another checkout measured side by side (ABBA)' },
      rounds: count(4, 'alternating rounds per size'),
      'reuse-builds': { type: 'boolean', description: 'reuse the builds of an earlier run' },
    },
  });
  const sizes = values.sizes;
  const rounds = values.rounds;
  const roots = [...(values.before ? [['before', resolve(values.before)]] : []), ['after', HERE]];
  const checkouts: Checkout[] = [];
  for (const [label, root] of roots) {
    const { GATEWAY_NODE_FLAGS } = (await import(pathToFileURL(join(root!, 'targets/node/node-flags.ts')).href)) as {
      GATEWAY_NODE_FLAGS: readonly string[];
    };
    checkouts.push({ label: label!, root: root!, nodeFlags: GATEWAY_NODE_FLAGS });
  }
  const machine = describeMachine();
  console.log(`${new Date().toISOString()} node ${machine.node}, ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB`);
  console.log(
    '| resources | checkout | config.json | ready (median) | ready (min–max) | CPU to ready | RSS after start | reload | RSS after reload | peak RSS | load |',
  );
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const resources of sizes) {
    const repo = ensureRepo(resources, 'single', 1);
    const built = checkouts.map((c) => ({ checkout: c, dir: build(c, repo, resources, values['reuse-builds']) }));
    const samples = new Map(built.map((b) => [b.checkout.label, [] as Sample[]]));
    const loads: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // ABBA: the order flips every round.
      for (const b of round % 2 === 0 ? built : [...built].reverse()) {
        const text = readFileSync(join(b.dir, 'config.json'), 'utf8');
        samples.get(b.checkout.label)!.push(await measure(b.dir, b.checkout.nodeFlags, secretEnv(text)));
        loads.push(currentLoad());
      }
    }
    for (const b of built) {
      const s = samples.get(b.checkout.label)!;
      const ready = s.map((x) => x.readyMs);
      const f = (v: number) => v.toFixed(0);
      console.log(
        `| ${resources.toLocaleString('en-US')} | ${b.checkout.label} | ${(statSync(join(b.dir, 'config.json')).size / 2 ** 20).toFixed(1)} MB | ` +
          `${f(median(ready))} ms | ${f(Math.min(...ready))}–${f(Math.max(...ready))} ms | ${f(median(s.map((x) => x.readyCpuMs)))} ms | ` +
          `${f(median(s.map((x) => x.rssStartMb)))} MB | ` +
          `${f(median(s.map((x) => x.reloadMs)))} ms | ${f(median(s.map((x) => x.rssReloadMb)))} MB | ${f(median(s.map((x) => x.peakMb)))} MB | ` +
          `${median(loads).toFixed(1)} |`,
      );
    }
  }
}

await main();
