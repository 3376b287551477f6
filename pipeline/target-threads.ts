// Builds one target on a second thread while this one builds the rest: at 10,000 resources the targets take about
// two seconds of CPU one after the other, and the envoy target alone a third of it. The worker gets a copy of the IR
// (structured clone: key order and absent fields kept, so it builds the same bytes) and sends back the target's
// output; the run's files are put together in target order afterwards, so which thread finishes first never shows.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IR } from '../compiler/ir/types.ts';
import { envoyAIGatewayTarget } from '../targets/envoy-ai-gateway/index.ts';
import { envoyTarget } from '../targets/envoy/index.ts';
import type { BuildContext, Target, TargetName, TargetOutput } from '../targets/target.ts';

/** The worker script exists beside the bundled CLI (dist/cli/); from the sources, every target builds on this thread. */
const WORKER_FILE = fileURLToPath(new URL('./build-worker.mjs', import.meta.url));
/** Below this many resources in the IR, starting a thread and copying the IR costs more than it saves. */
const MIN_PARALLEL_RESOURCES = 1000;
/**
 * Targets a worker may build, costliest first: they need no other target's output, and their code does not load the
 * gateway bundler. The worker takes the first one in the run; this thread keeps the others (k8s waits for envoy's).
 */
export const OFF_THREAD: readonly Target[] = [envoyTarget, envoyAIGatewayTarget];

export interface ThreadOptions {
  /** Threads to build on, this one included: by default two for a large IR (MODELGATE_THREADS=1 keeps one). */
  threads?: number;
  workerFile?: string;
  /** Told when the worker failed and its target was built on this thread instead (same bytes, only slower). */
  onFallback?: (reason: string) => void;
}

/** What the main thread sends a worker. */
export interface WorkerInput {
  ir: IR;
  target: TargetName;
  /** Every target of the run (the context targets build with). */
  targets: readonly TargetName[];
}

/** What a worker sends back: the output, or why there is none. */
export type WorkerReply = { output: TargetOutput } | { error: string };

/** A run's context: what one target builds that another needs (k8s mounts node's and envoy's files) is built once. */
export function sharedContext(targets: readonly TargetName[]): Required<BuildContext> {
  const values = new Map<string, unknown>();
  return {
    targets,
    shared<T>(key: string, build: () => T): T {
      if (!values.has(key)) values.set(key, build());
      return values.get(key) as T;
    },
  };
}

export interface TargetWorker {
  target: TargetName;
  /** The worker's output; rejects when it fails (the caller builds the target itself). */
  output: Promise<TargetOutput>;
  stop(): void;
}

/** Starts a worker on one target of the run, or none when the run is small, single-threaded or has nothing to split. */
export function startTargetWorker(ir: IR, targets: readonly TargetName[], options: ThreadOptions = {}): TargetWorker | undefined {
  const workerFile = options.workerFile ?? WORKER_FILE;
  const target = OFF_THREAD.find((t) => targets.includes(t.name))?.name;
  if (!target || targets.length < 2 || !existsSync(workerFile) || (options.threads ?? defaultThreads(ir)) < 2) return undefined;
  const input: WorkerInput = { ir, target, targets };
  const worker = new Worker(workerFile, { workerData: input });
  const output = new Promise<TargetOutput>((resolve, reject) => {
    worker.once('message', (reply: WorkerReply) => ('output' in reply ? resolve(reply.output) : reject(new Error(reply.error))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker exited (code ${code}) before sending the ${target} target's output`)));
  });
  return { target, output, stop: () => void worker.terminate() };
}

/** MODELGATE_THREADS, or two when the IR is large enough and there is a second core; else one. */
function defaultThreads(ir: IR): number {
  const configured = Number(process.env.MODELGATE_THREADS);
  if (Number.isInteger(configured) && configured > 0) return configured;
  const resources = ir.providers.length + ir.routes.length + ir.prompts.length + ir.consumers.length + ir.accessPolicies.length;
  return resources < MIN_PARALLEL_RESOURCES ? 1 : availableParallelism();
}
