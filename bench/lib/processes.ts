// Servers the gateway benchmark starts: each in its own process group, all ended when the bench ends —
// normally, on an exception, or on Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface Started {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Why the process failed, as far as its output says: its first line naming an error, else its last line. */
  reason(): string;
}

export interface StartOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Resolves once stdout shows this line (its first capture group is returned by `waitForLine`). */
  readyLine?: RegExp;
}

const OUTPUT_CHARS = 2000;
const REASON_CHARS = 200;

function shorten(line: string): string {
  return line.length > REASON_CHARS ? `${line.slice(0, REASON_CHARS - 3)}...` : line;
}

/** Ends a process group started here (spawned `detached`), ignoring one that already ended. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Finds the first line of output that names an error, skipping diff lines (`+`/`-`); when it ends with a
 * colon (`1 error stops prod from building:`), the line after it is the error itself and is joined to it.
 */
class ErrorScanner {
  private partial = '';
  private opener: string | undefined;
  private result: string | undefined;

  push(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.trim();
      if (this.result !== undefined) return;
      if (this.opener !== undefined) {
        if (line) this.result = `${this.opener} ${line}`;
      } else if (!/^[+-]/.test(line) && /\berror\b/i.test(line)) {
        if (line.endsWith(':')) this.opener = line;
        else this.result = line;
      }
    }
  }

  found(): string | undefined {
    return this.result ?? this.opener;
  }
}

export class ProcessGroup {
  private readonly running = new Set<Started>();
  private readonly onExit = () => this.stopAll();
  private readonly onSignal = () => {
    this.stopAll();
    process.exit(130);
  };

  constructor() {
    process.on('exit', this.onExit);
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  start(name: string, command: string, args: string[], options: StartOptions): Started {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    // Only what explains a failure is kept: a command may print megabytes of findings.
    let tail = '';
    const scanners = { stderr: new ErrorScanner(), stdout: new ErrorScanner() };
    const keep = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-OUTPUT_CHARS);
      scanners[stream].push(text);
    };
    child.stdout?.on('data', keep('stdout'));
    child.stderr?.on('data', keep('stderr'));
    if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
    const reason = () =>
      shorten(scanners.stderr.found() ?? scanners.stdout.found() ?? tail.trim().split('\n').filter(Boolean).at(-1) ?? '(no output)');
    const started: Started = { name, child, pid: child.pid, reason };
    this.running.add(started);
    child.on('exit', () => this.running.delete(started));
    return started;
  }

  stop(started: Started): void {
    killGroup(started.pid);
    this.running.delete(started);
  }

  stopAll(): void {
    for (const s of this.running) killGroup(s.pid);
    this.running.clear();
  }

  dispose(): void {
    this.stopAll();
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}

/** Waits for a stdout line matching `pattern`; returns its first capture group. */
export function waitForLine(started: Started, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => finish(new Error(`${started.name}: not ready after ${timeoutMs} ms: ${started.reason()}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const match = pattern.exec(buffer);
      if (match) finish(undefined, match[1] ?? match[0]);
    };
    const onExit = (code: number | null) => finish(new Error(`${started.name}: exited with ${code}: ${started.reason()}`));
    const finish = (error?: Error, value?: string) => {
      clearTimeout(timer);
      started.child.stdout?.off('data', onData);
      started.child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value!);
    };
    started.child.stdout?.on('data', onData);
    started.child.on('exit', onExit);
  });
}

/**
 * Polls `url` every `pollMs` until it answers with a status below 500; fails early if the process exits. A
 * bench that times start-up polls often, so that the poll's own wait is not most of what it measures.
 */
export async function waitForHttp(started: Started, url: string, timeoutMs: number, pollMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`${started.name}: exited with ${started.child.exitCode}: ${started.reason()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`${started.name}: no answer on ${url} after ${timeoutMs} ms: ${started.reason()}`);
}

/** A TCP port free on 127.0.0.1 right now (for servers that take their port from config). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Current and peak resident set size of a live process, in KiB, from /proc (Linux). */
export function residentKb(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  } catch {
    return { rss: Number.NaN, peak: Number.NaN };
  }
}

/** CPU time (user + system) a process has used, in ms; Linux only (`/proc`), tick resolution (10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
