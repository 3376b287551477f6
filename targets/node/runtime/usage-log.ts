// The usage log: one JSON line per request, appended to stdout or a file. Lines handed over in one event-loop
// turn leave in one write; `close` flushes what is left.
import fs from 'node:fs';
import type { Writable } from 'node:stream';

export interface LineWriter {
  write(line: string): void;
  close(): Promise<void>;
}

export function openUsageLog(path: string): LineWriter {
  if (path === 'stdout') return bufferedLines(process.stdout, false);
  return bufferedLines(fs.createWriteStream(path, { flags: 'a' }), true);
}

/** Coalesces lines until the end of the current event-loop turn, then writes them as one chunk. */
export function bufferedLines(stream: Writable, ownsStream: boolean): LineWriter {
  let pending = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending) stream.write(pending);
    pending = '';
  };
  return {
    write(line) {
      pending += `${line}\n`;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    close() {
      flush();
      if (!ownsStream) return Promise.resolve();
      return new Promise((resolve) => stream.end(resolve));
    },
  };
}
