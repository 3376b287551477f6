// A target builder thread of target-threads.ts: builds its one target over the copy of the IR it was given and
// sends the output back. It loads only the targets it may build (not the gateway bundler).
import { parentPort, workerData } from 'node:worker_threads';
import { OFF_THREAD, sharedContext, type WorkerInput, type WorkerReply } from './target-threads.ts';

const { ir, target, targets } = workerData as WorkerInput;
let reply: WorkerReply;
try {
  const builder = OFF_THREAD.find((t) => t.name === target);
  if (!builder) throw new Error(`the ${target} target is not built on a worker`);
  reply = { output: await builder.build(ir, sharedContext(targets)) };
} catch (error) {
  // The main thread builds the target itself and reports what goes wrong there.
  reply = { error: String(error) };
}
parentPort!.postMessage(reply);
