// Parses a repo's files, on every core when there are enough of them: YAML parsing is most of a large
// repo's compile time. The call stays synchronous (the pipeline is), so the main thread parses its own share
// and then blocks until each worker thread signals that its share is ready.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import { threadCount } from '../../kernel/threads.ts';
import { parseYamlFile, type ParsedDocument } from './parse-yaml.ts';

export interface FileText {
  path: string;
  text: string;
}

export interface ParsedFileData {
  documents: ParsedDocument[];
  diagnostics: Diagnostic[];
}

/** The worker script exists beside the bundled CLI (dist/cli/); from the sources, parsing stays on this thread. */
const WORKER_FILE = fileURLToPath(new URL('./parse-worker.mjs', import.meta.url));
/** Below this much YAML a thread's start-up costs more than it saves. */
const MIN_PARALLEL_BYTES = 256 * 1024;
/** A worker that has not started by then (a broken install) is given up, and its share parsed here. */
const START_TIMEOUT_MS = 10_000;

const STATE_STARTED = 1;
const STATE_DONE = 2;

export interface ParseOptions {
  /** Threads to parse on, this one included; by default every core, and one for less than MIN_PARALLEL_BYTES. */
  threads?: number;
  workerFile?: string;
  startTimeoutMs?: number;
  /** Told when a worker's share had to be parsed here instead (the result is the same, only slower). */
  onFallback?: (reason: string) => void;
}

/** Parses every file; the result is the same however many threads did it. */
export function parseFiles(files: readonly FileText[], options: ParseOptions = {}): ParsedFileData[] {
  const workerFile = options.workerFile ?? WORKER_FILE;
  const threads = existsSync(workerFile) ? Math.min(options.threads ?? defaultThreads(files), files.length) : 1;
  if (threads < 2) return files.map(parseFile);
  const shares = split(files, threads);
  const workers = shares
    .slice(1)
    .map((share) => startWorker(share, workerFile, options.startTimeoutMs ?? START_TIMEOUT_MS, options.onFallback));
  const results = shares[0]!.map(parseFile);
  workers.forEach((worker, i) => results.push(...worker.collect(shares[i + 1]!)));
  return results;
}

export function parseFile(file: FileText): ParsedFileData {
  const parsed = parseYamlFile(file.path, file.text);
  return { documents: parsed.documents.map(({ index, value, spans }) => ({ index, value, spans })), diagnostics: parsed.diagnostics };
}

/** MODELGATE_THREADS, or every core; one below MIN_PARALLEL_BYTES. */
function defaultThreads(files: readonly FileText[]): number {
  return threadCount(
    files.reduce((sum, f) => sum + f.text.length, 0),
    MIN_PARALLEL_BYTES,
  );
}

/** Consecutive shares of about equal size, so that the results come back in file order. */
function split(files: readonly FileText[], parts: number): FileText[][] {
  const total = files.reduce((sum, f) => sum + f.text.length, 0);
  const shares: FileText[][] = [[]];
  let size = 0;
  for (const file of files) {
    if (size >= (total / parts) * shares.length && shares.length < parts) shares.push([]);
    shares.at(-1)!.push(file);
    size += file.text.length;
  }
  return shares;
}

function startWorker(
  files: readonly FileText[],
  workerFile: string,
  startTimeoutMs: number,
  onFallback: ParseOptions['onFallback'],
): { collect(files: readonly FileText[]): ParsedFileData[] } {
  const state = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(workerFile, { workerData: { files, state, port: port2 }, transferList: [port2] });
  worker.unref();
  // A worker that fails to load reports it as an event this blocked thread never reads: the timeout covers it.
  worker.on('error', () => undefined);
  return {
    collect(share) {
      Atomics.wait(state, 0, 0, startTimeoutMs);
      if (Atomics.load(state, 0) === STATE_STARTED) Atomics.wait(state, 0, STATE_STARTED);
      const reply = Atomics.load(state, 0) === STATE_DONE ? receiveMessageOnPort(port1)?.message : undefined;
      void worker.terminate();
      port1.close();
      if (Array.isArray(reply)) return reply as ParsedFileData[];
      onFallback?.(reply ? String((reply as { error?: unknown }).error) : `the worker did not start within ${startTimeoutMs} ms`);
      return share.map(parseFile);
    },
  };
}

export const WORKER_STATE = { STARTED: STATE_STARTED, DONE: STATE_DONE };
