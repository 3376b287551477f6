// Builds one target on a second thread while this one builds the rest: at 10,000 resources the targets take about
// two seconds of CPU one after the other, and the envoy target alone a third of it. The worker gets a copy of the IR
// (structured clone: key order and absent fields kept, so it builds the same bytes) and sends back the target's
// output; the run's files are put together in target order afterwards, so which thread finishes first never shows.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IR } from '../compiler/ir/types.ts';
import { threadCount } from '../kernel/threads.ts';
import { envoyAIGatewayTarget } from '../targets/envoy-ai-gateway/index.ts';
import { envoyTarget } from '../targets/envoy/index.ts';
import { ENVOY_CONFIG_PARTS_KEY, envoyConfigParts } from '../targets/k8s/envoy.ts';
import { outputKey, type BuildContext, type Target, type TargetName, type TargetOutput } from '../targets/target.ts';
import type { PieceReport, PieceStore, SharedPieces } from './piece-cache.ts';

/** The worker script exists beside the bundled CLI (dist/cli/); from the sources, every target builds on this thread. */
const WORKER_FILE = fileURLToPath(new URL('./build-worker.mjs', import.meta.url));
/** Below this many resources in the IR, starting a thread and copying the IR costs more than it saves. */
const MIN_PARALLEL_RESOURCES = 1000;
/**
 * Targets a worker may build, in the order it builds them: they need no other target's output, and their code does not
 * load the gateway bundler. The worker takes those of the run, but leaves this thread one when the run has no other;
 * envoy first, since k8s here waits for its files.
 */
export const OFF_THREAD: readonly Target[] = [envoyTarget, envoyAIGatewayTarget];

/**
 * Work on a worker-built target's output that another target of the run needs, done on the worker right after it
 * and shared under `key`: k8s's ConfigMaps of envoy.yaml (about half a second at 10,000 resources).
 */
export interface Followup {
  after: TargetName;
  /** The target of the run that needs it. */
  for: TargetName;
  key: string;
  build(ir: IR, output: TargetOutput): unknown;
}

export const FOLLOWUPS: readonly Followup[] = [
  { after: 'envoy', for: 'k8s', key: ENVOY_CONFIG_PARTS_KEY, build: (ir, output) => envoyConfigParts(ir, output.files) },
];

export interface ThreadOptions {
  /** Threads to build on, this one included: by default two for a large IR (MODELGATE_THREADS=1 keeps one). */
  threads?: number;
  workerFile?: string;
  /** Told when the worker failed and its target was built on this thread instead (same bytes, only slower). */
  onFallback?: (reason: string) => void;
  /** Pieces rendered in earlier builds; those the run renders (the worker's too) are added to it. */
  pieces?: PieceStore;
  /** A worker started ahead (`spareTargetWorker`), taken instead of starting one (of `workerFile`) when the run needs one. */
  spare?: SpareWorker;
}

/** What the main thread sends a worker, as its first message (the worker may have started before it was known). */
export interface WorkerInput {
  ir: IR;
  /** What the worker builds, in this order (each target's followups of the run right after it). */
  build: readonly TargetName[];
  /** Every target of the run (the context targets build with). */
  targets: readonly TargetName[];
  /** The stored pieces of the run's piece cache, when it has one. */
  pieces?: SharedPieces;
}

/**
 * What a worker sends back for each target or followup as it is done: the result, or why there is none, and what it
 * did with the pieces meanwhile.
 */
export type WorkerReply = ({ target: TargetName } | { key: string }) & ({ output: unknown } | { error: string }) & { pieces?: PieceReport };

/** The followups of the run after `target`. */
export const followupsAfter = (target: TargetName, targets: readonly TargetName[]): Followup[] =>
  FOLLOWUPS.filter((f) => f.after === target && targets.includes(f.for));

/**
 * A run's context: what one target builds that another needs (k8s mounts node's and envoy's files) is built once;
 * with `pieces`, the targets render through them.
 */
export function sharedContext(
  targets: readonly TargetName[],
  pieces?: PieceStore,
): Required<Pick<BuildContext, 'targets' | 'shared'>> & BuildContext {
  const values = new Map<string, unknown>();
  return {
    targets,
    ...(pieces ? { pieces } : {}),
    shared<T>(key: string, build: () => T): T {
      if (!values.has(key)) values.set(key, build());
      return values.get(key) as T;
    },
  };
}

export interface TargetWorker {
  /** The worker's outputs by target; one rejects when the worker fails on it (the caller builds the target itself). */
  outputs: Map<TargetName, Promise<TargetOutput>>;
  /** Its followups' results by key, rejecting likewise. */
  followups: Map<string, Promise<unknown>>;
  stop(): void;
}

/** Starts a worker on part of the run, or none when the run is small, single-threaded or has nothing to split. */
export function startTargetWorker(ir: IR, targets: readonly TargetName[], options: ThreadOptions = {}): TargetWorker | undefined {
  const workerFile = options.workerFile ?? WORKER_FILE;
  const offThread = OFF_THREAD.map((t) => t.name).filter((name) => targets.includes(name));
  const build = offThread.length < targets.length ? offThread : offThread.slice(0, -1);
  if (!build.length || !existsSync(workerFile) || (options.threads ?? defaultThreads(ir)) < 2) return undefined;
  const input: WorkerInput = { ir, build, targets, ...(options.pieces ? { pieces: options.pieces.shared() } : {}) };
  const worker = options.spare?.take() ?? new Worker(workerFile);
  worker.postMessage(input);
  const settle = new Map<string, { resolve(output: unknown): void; reject(error: Error): void }>();
  const expect = <T>(key: string) =>
    new Promise<T>((resolve, reject) => settle.set(key, { resolve: resolve as (output: unknown) => void, reject }));
  const outputs = new Map(build.map((name) => [name, expect<TargetOutput>(outputKey(name))]));
  const followups = new Map(build.flatMap((name) => followupsAfter(name, targets)).map((f) => [f.key, expect<unknown>(f.key)]));
  let stopped = false;
  // Once stopped (the run is over, or failed here), nothing is built here in the worker's place.
  const failAll = (error: Error) => {
    if (!stopped) for (const s of settle.values()) s.reject(error);
  };
  worker.on('message', (reply: WorkerReply) => {
    if (reply.pieces) options.pieces?.merge(reply.pieces);
    const settled = settle.get('key' in reply ? reply.key : outputKey(reply.target));
    if ('output' in reply) settled?.resolve(reply.output);
    else settled?.reject(new Error(reply.error));
  });
  worker.once('error', failAll);
  // After every reply this rejects nothing: a settled promise stays as it is.
  worker.once('exit', (code) => failAll(new Error(`the worker exited (code ${code}) before sending every output`)));
  return {
    outputs,
    followups,
    stop: () => {
      stopped = true;
      void worker.terminate();
    },
  };
}

/** A worker started before its run is known: its start-up (loading the targets' code) overlaps the compile before it. */
export interface SpareWorker {
  /** The worker, once: the run that takes it sends its input and stops it. */
  take(): Worker | undefined;
  /** Stops it if no run took it. */
  dispose(): void;
}

/**
 * A worker for a build to come, when one may be used (bundled, and more than one thread allowed for a repo of
 * `resources`): a caller that compiles before it builds starts it once the files are loaded. A run that turns out
 * too small for a worker leaves it to `dispose`.
 */
export function spareTargetWorker(resources: number, workerFile = WORKER_FILE): SpareWorker | undefined {
  if (!existsSync(workerFile) || threadCount(resources, MIN_PARALLEL_RESOURCES) < 2) return undefined;
  let worker: Worker | undefined = new Worker(workerFile);
  // A worker waiting for its input does not keep the process alive, and its failure to start is nobody's error: a
  // worker that has exited is not handed out (the run starts one of its own), one still exiting tells its run.
  worker.unref();
  worker.on('error', () => {});
  worker.once('exit', () => {
    worker = undefined;
  });
  return {
    take() {
      const taken = worker;
      worker = undefined;
      taken?.ref();
      return taken;
    },
    dispose() {
      void worker?.terminate();
      worker = undefined;
    },
  };
}

/** MODELGATE_THREADS, or every core for an IR of MIN_PARALLEL_RESOURCES or more; else one. */
function defaultThreads(ir: IR): number {
  const resources = ir.providers.length + ir.routes.length + ir.prompts.length + ir.consumers.length + ir.accessPolicies.length;
  return threadCount(resources, MIN_PARALLEL_RESOURCES);
}
