// A target builder thread of target-threads.ts: builds its targets over the copy of the IR it was given and sends
// each output back as soon as it is done. It loads only the targets it may build (not the gateway bundler).
import { parentPort, workerData } from 'node:worker_threads';
import { OFF_THREAD, sharedContext, type WorkerInput, type WorkerReply } from './target-threads.ts';

const { ir, build, targets } = workerData as WorkerInput;
const context = sharedContext(targets);
for (const target of build) {
  let reply: WorkerReply;
  try {
    const builder = OFF_THREAD.find((t) => t.name === target);
    if (!builder) throw new Error(`the ${target} target is not built on a worker`);
    reply = { target, output: await builder.build(ir, context) };
  } catch (error) {
    // The main thread builds the target itself and reports what goes wrong there.
    reply = { target, error: String(error) };
  }
  parentPort!.postMessage(reply);
}
