// A target builder thread of target-threads.ts: builds its targets over the copy of the IR it was given and sends
// each output back as soon as it is done. It loads only the targets it may build (not the gateway bundler).
import { parentPort } from 'node:worker_threads';
import type { TargetOutput } from '../targets/target.ts';
import { fromSharedPieces, pieceStore } from './piece-cache.ts';
import { followupsAfter, OFF_THREAD, sharedContext, type WorkerInput, type WorkerReply } from './target-threads.ts';

// The input comes as the first message: the thread may have been started (and its code loaded) before it was known.
const { ir, build, targets, pieces: stored } = await new Promise<WorkerInput>((resolve) => parentPort!.once('message', resolve));
const pieces = stored && pieceStore(fromSharedPieces(stored));
const context = sharedContext(targets, pieces);
for (const target of build) {
  let output: TargetOutput | undefined;
  let reply: WorkerReply;
  try {
    const builder = OFF_THREAD.find((t) => t.name === target);
    if (!builder) throw new Error(`the ${target} target is not built on a worker`);
    output = await builder.build(ir, context);
    reply = { target, output };
  } catch (error) {
    // The main thread builds the target (and its followups) itself and reports what goes wrong there.
    reply = { target, error: String(error) };
  }
  parentPort!.postMessage({ ...reply, ...(pieces ? { pieces: pieces.report() } : {}) });
  for (const followup of followupsAfter(target, targets)) {
    let done: WorkerReply;
    try {
      if (!output) throw new Error(`the ${target} target failed`);
      done = { key: followup.key, output: followup.build(ir, output) };
    } catch (error) {
      done = { key: followup.key, error: String(error) };
    }
    parentPort!.postMessage({ ...done, ...(pieces ? { pieces: pieces.report() } : {}) });
  }
}
