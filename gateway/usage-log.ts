// The usage log: one JSON line per request, appended to a file or stdout. Each line is written before its
// response is sent (Call.finish runs before `res.end`), synchronously: a client that received an answer can count
// on its line being in the file, even if the gateway is SIGKILLed the next moment, since the kernel holds it (a
// crash of the machine itself may lose what it had not flushed to disk: nothing is fsynced). An append of a few
// hundred bytes costs microseconds; measured against batching lines every 100 ms, the gateway's throughput was
// the same within the noise (SECURITY.md, "Usage records").
import fs from 'node:fs';

export interface LineWriter {
  write(line: string): void;
  close(): Promise<void>;
}

/** Hears when writes start failing (with the error) and when they work again (with undefined). */
export type WriteTrouble = (err: Error | undefined) => void;

/**
 * Opens the log at once, so that a path that cannot be written stops the start or refuses the reload. A failed
 * write (a full disk) does not fail the request it records; `onTrouble` hears about it.
 */
export function openUsageLog(path: string, onTrouble: WriteTrouble = () => {}): LineWriter {
  if (path === 'stdout') return stdoutLines(onTrouble);
  const fd = fs.openSync(path, 'a');
  const report = troubleReporter(onTrouble);
  return {
    write(line) {
      try {
        fs.writeSync(fd, `${line}\n`);
        report(undefined);
      } catch (err) {
        report(err as Error);
      }
    },
    close() {
      fs.closeSync(fd);
      return Promise.resolve();
    },
  };
}

/**
 * stdout is written at once while its reader keeps up (Node writes files and, on Linux, pipes synchronously);
 * a reader that falls behind makes Node queue lines in memory, where a SIGKILL would lose them.
 */
function stdoutLines(onTrouble: WriteTrouble): LineWriter {
  // Without a listener, a reader that goes away (EPIPE) would be an uncaught exception.
  const onError = troubleReporter(onTrouble);
  process.stdout.on('error', onError);
  return {
    write: (line) => void process.stdout.write(`${line}\n`),
    close() {
      process.stdout.off('error', onError);
      return Promise.resolve();
    },
  };
}

/** Reports the first failure of a run of them, and the first success after it, rather than every line. */
function troubleReporter(onTrouble: WriteTrouble): (err: Error | undefined) => void {
  let failing = false;
  return (err) => {
    if (failing === (err !== undefined)) return;
    failing = !failing;
    onTrouble(err);
  };
}
