// Prometheus' own tools for tests: `promtool` (check and unit-test rule files) and a throw-away `prometheus` server
// on 127.0.0.1 with a temp config and data directory. Both come with the Debian package `prometheus` (.ci/run
// installs it); tests skip with the messages here where they are absent.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const runs = (bin: string) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0;

export const promtoolAvailable = runs('promtool');
export const prometheusAvailable = runs('prometheus');
export const PROMTOOL_MISSING = 'promtool is not installed (apt-get install -y prometheus); rule checks skipped';
export const PROMETHEUS_MISSING = 'prometheus is not installed (apt-get install -y prometheus); scrape test skipped';

/** Runs promtool with files written to a temp directory first; its exit status and output. */
export function promtool(args: string[], files: Record<string, string>): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-promtool-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    const run = spawnSync('promtool', args, { cwd: dir, encoding: 'utf8' });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface PrometheusServer {
  url: string;
  /** An instant query through the HTTP API: the result vector. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts Prometheus on 127.0.0.1 with `config` (YAML) and `files` beside it; resolves once it is ready. */
export async function startPrometheus(config: string, files: Record<string, string> = {}): Promise<PrometheusServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-prometheus-'));
  for (const [name, text] of Object.entries({ ...files, 'prometheus.yml': config })) fs.writeFileSync(path.join(dir, name), text);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (d) => (log = (log + d).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not get ready: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expr })}`);
      const body = (await res.json()) as { status: string; error?: string; data: { result: never[] } };
      if (body.status !== 'success') throw new Error(`query failed: ${body.error} (${expr})`);
      return body.data.result;
    },
    stop,
  };
}
