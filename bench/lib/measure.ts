// Runs one command as its own process and measures its whole-process wall time and peak RSS.
// Peak RSS comes from GNU time (`/usr/bin/time`, apt package `time`) when present, else from a preload
// that records `process.resourceUsage().maxRSS` at exit (Node commands only).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GNU_TIME = '/usr/bin/time';
const RSS_PROBE = fileURLToPath(new URL('./rss-probe.mjs', import.meta.url));
/** What is kept of a command's output to explain a failure. */
const TAIL_CHARS = 2000;

export interface CommandLine {
  command: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
}

export interface ProcessSample {
  wallMs: number;
  /** Peak resident set size in KiB. */
  maxRssKb: number;
  code: number | null;
  stdoutTail: string;
  stderrTail: string;
  timedOut: boolean;
}

export function rssSource(): string {
  return existsSync(GNU_TIME) ? 'GNU time (%M)' : 'process.resourceUsage().maxRSS at exit';
}

function tail(previous: string, chunk: Buffer): string {
  const next = previous + chunk.toString('utf8');
  return next.length > TAIL_CHARS ? next.slice(-TAIL_CHARS) : next;
}

export async function measureProcess(line: CommandLine, timeoutMs: number): Promise<ProcessSample> {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-bench-rss-'));
  const rssFile = join(dir, 'rss');
  const viaTime = existsSync(GNU_TIME);
  const [command, args] = viaTime ? [GNU_TIME, ['-f', '%M', '-o', rssFile, line.command, ...line.args]] : [line.command, line.args];
  const env = { ...process.env, ...line.env };
  if (!viaTime) {
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import=${RSS_PROBE}`.trim();
    env.MODELGATE_BENCH_RSS_FILE = rssFile;
  }
  try {
    const started = performance.now();
    const child = spawn(command, args, { cwd: line.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdoutTail = '';
    let stderrTail = '';
    child.stdout.on('data', (c: Buffer) => (stdoutTail = tail(stdoutTail, c)));
    child.stderr.on('data', (c: Buffer) => (stderrTail = tail(stderrTail, c)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c) => resolve(c));
    }).finally(() => clearTimeout(timer));
    const wallMs = performance.now() - started;
    return { wallMs, maxRssKb: readRss(rssFile), code, stdoutTail, stderrTail, timedOut };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The largest value recorded: GNU time writes one line; the probe appends one per Node process. */
function readRss(file: string): number {
  if (!existsSync(file)) return Number.NaN;
  const values = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isFinite(n) && n > 0);
  return values.length > 0 ? Math.max(...values) : Number.NaN;
}

/** Ends a process group this harness started (spawned with `detached`), ignoring one that already ended. */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
