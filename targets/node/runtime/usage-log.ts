// The usage log: one JSON line per request, appended to stdout or a file through a buffer. A write per request
// would cost a syscall (and, for files, a thread-pool round trip) each; lines are gathered instead and written
// together at most FLUSH_INTERVAL_MS after the first of them, or as soon as FLUSH_BYTES have gathered.
// `close` writes what is left; the gateway calls it when it stops.
import fs from 'node:fs';
import type { Writable } from 'node:stream';

export interface LineWriter {
  write(line: string): void;
  close(): Promise<void>;
}

export const FLUSH_INTERVAL_MS = 100;
const FLUSH_BYTES = 64 * 1024;

export function openUsageLog(path: string): LineWriter {
  if (path === 'stdout') return bufferedLines(process.stdout, false);
  return bufferedLines(fs.createWriteStream(path, { flags: 'a' }), true);
}

export function bufferedLines(stream: Writable, ownsStream: boolean): LineWriter {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending) stream.write(pending);
    pending = '';
  };
  return {
    write(line) {
      pending += `${line}\n`;
      if (pending.length >= FLUSH_BYTES) flush();
      // Unref'd: a pending flush alone must not keep a stopping process alive (close() flushes).
      else timer ??= setTimeout(flush, FLUSH_INTERVAL_MS).unref();
    },
    close() {
      flush();
      if (!ownsStream) return Promise.resolve();
      return new Promise((resolve) => stream.end(resolve));
    },
  };
}
