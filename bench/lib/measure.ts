// Runs one command as its own process and measures its whole-process wall time, CPU time (user + system, every
// thread) and peak RSS. CPU and RSS come from GNU time (`/usr/bin/time`, apt package `time`) when present, else
// from a preload that records `process.resourceUsage()` at exit (Node commands only).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessGroup } from './processes.ts';

const GNU_TIME = '/usr/bin/time';
const RSS_PROBE = fileURLToPath(new URL('./rss-probe.mjs', import.meta.url));

export interface CommandLine {
  command: string;
  args: string[];
  cwd: string;
  env?: Record<string, string>;
}

export interface ProcessSample {
  wallMs: number;
  /** User + system CPU time of the process and its threads: steadier than wall time on a shared machine. */
  cpuMs: number;
  /** Peak resident set size in KiB. */
  maxRssKb: number;
  code: number | null;
  /** What the output says went wrong, for a failed run. */
  reason: string;
  timedOut: boolean;
}

export function rssSource(): string {
  return existsSync(GNU_TIME) ? 'GNU time (%M)' : 'process.resourceUsage().maxRSS at exit';
}

export async function measureProcess(line: CommandLine, timeoutMs: number, group: ProcessGroup): Promise<ProcessSample> {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-bench-rss-'));
  const rssFile = join(dir, 'rss');
  const viaTime = existsSync(GNU_TIME);
  const [command, args] = viaTime ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, line.command, ...line.args]] : [line.command, line.args];
  const env = { ...line.env };
  if (!viaTime) {
    env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import=${RSS_PROBE}`.trim();
    env.MODELGATE_BENCH_RSS_FILE = rssFile;
  }
  try {
    const started = performance.now();
    const child = group.start(line.command, command, args, { cwd: line.cwd, env });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      group.stop(child);
    }, timeoutMs);
    const code = await new Promise<number | null>((resolve) => child.child.on('close', resolve)).finally(() => clearTimeout(timer));
    const wallMs = performance.now() - started;
    return { wallMs, ...readUsage(rssFile, viaTime), code, reason: child.reason(), timedOut };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Peak RSS (the largest recorded) and CPU time (their sum): GNU time writes one line `KiB user-s system-s`; the
 * probe appends `KiB cpu-µs` per Node process.
 */
function readUsage(file: string, viaTime: boolean): { maxRssKb: number; cpuMs: number } {
  if (!existsSync(file)) return { maxRssKb: Number.NaN, cpuMs: Number.NaN };
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))
    .filter(([rss]) => Number.isFinite(rss) && rss! > 0);
  if (lines.length === 0) return { maxRssKb: Number.NaN, cpuMs: Number.NaN };
  const cpu = ([, a = Number.NaN, b = 0]: number[]) => (viaTime ? (a + b) * 1000 : a / 1000);
  return { maxRssKb: Math.max(...lines.map(([rss]) => rss!)), cpuMs: lines.reduce((sum, l) => sum + cpu(l), 0) };
}
