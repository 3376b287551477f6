// The usage log: one JSON line per request, appended to a file or stdout. The lines of one event-loop turn are
// appended together, in one write, at the end of the turn (Node's check phase), and the responses they record end
// only after it (`afterWrites`): a client that received an answer can count on its line being in the file, even if
// the gateway is SIGKILLed the next moment, since the kernel holds it (a crash of the machine itself may lose
// what it had not flushed to disk: nothing is fsynced). At 50 connections a turn ends several requests: one
// append for them all instead of one each (bench/RESULTS.md, "usage lines once per event-loop turn").
import fs from 'node:fs';

export interface LineWriter {
  /** Queues a line for the append at the end of this event-loop turn. */
  write(line: string): void;
  /** Runs `then` once every line queued so far is written, after the callbacks waiting before it; at once if none waits. */
  afterWrites(then: () => void): void;
  /** Writes the lines queued so far now, for an answer that does not wait on `afterWrites`. */
  flush(): void;
  close(): Promise<void>;
}

/** Hears when writes start failing (with the error) and when they work again (with undefined). */
export type WriteTrouble = (err: Error | undefined) => void;

/**
 * Opens the log at once, so that a path that cannot be written stops the start or refuses the reload. A failed
 * write (a full disk) does not fail the requests it records; `onTrouble` hears about it.
 */
export function openUsageLog(path: string, onTrouble: WriteTrouble = () => {}): LineWriter {
  if (path === 'stdout') return stdoutLines(onTrouble);
  const fd = fs.openSync(path, 'a');
  const report = troubleReporter(onTrouble);
  return new TurnBatch(
    (text) => {
      try {
        appendAll(fd, Buffer.from(text));
        report(undefined);
      } catch (err) {
        report(err as Error);
      }
    },
    () => fs.closeSync(fd),
  );
}

/** One append of the whole batch; a short write (the kernel may return one) is followed by the rest. */
function appendAll(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done);
}

/**
 * stdout is written at once while its reader keeps up (Node writes files and, on Linux, pipes synchronously);
 * a reader that falls behind makes Node queue lines in memory, where a SIGKILL would lose them.
 */
function stdoutLines(onTrouble: WriteTrouble): LineWriter {
  // Without a listener, a reader that goes away (EPIPE) would be an uncaught exception.
  const onError = troubleReporter(onTrouble);
  process.stdout.on('error', onError);
  return new TurnBatch(
    (text) => void process.stdout.write(text),
    () => void process.stdout.off('error', onError),
  );
}

/**
 * Lines queued during one event-loop turn, appended by `append` in one call when the turn ends, then the callbacks
 * waiting on them (the responses' ends) in the order they were queued. `append` reports its own failures.
 */
export class TurnBatch implements LineWriter {
  private text = '';
  private waiting: (() => void)[] = [];
  private scheduled = false;

  constructor(
    private readonly append: (text: string) => void,
    private readonly release: () => void = () => {},
  ) {}

  write(line: string): void {
    this.text += `${line}\n`;
    this.schedule();
  }

  afterWrites(then: () => void): void {
    if (this.text === '' && this.waiting.length === 0) return then();
    this.waiting.push(then);
    this.schedule();
  }

  flush(): void {
    if (this.text === '') return;
    const text = this.text;
    this.text = '';
    this.append(text);
  }

  close(): Promise<void> {
    this.endTurn();
    this.release();
    return Promise.resolve();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.endTurn());
  }

  private endTurn(): void {
    this.scheduled = false;
    this.flush();
    const waiting = this.waiting;
    this.waiting = [];
    // One response's failure to end must not hold back the others; it is thrown after them, as loud as before.
    let failure: unknown;
    for (const then of waiting) {
      try {
        then();
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure !== undefined) throw failure;
  }
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
