// A parser thread of parse-files.ts: parses its share, posts the results, then says so through the shared state.
import { workerData, type MessagePort } from 'node:worker_threads';
import { parseFile, WORKER_STATE, type FileText, type ParsedFileData } from './parse-files.ts';

const { files, state, port } = workerData as { files: FileText[]; state: Int32Array; port: MessagePort };
Atomics.store(state, 0, WORKER_STATE.STARTED);
Atomics.notify(state, 0);
let results: ParsedFileData[] | { error: string };
try {
  results = files.map(parseFile);
} catch (error) {
  // The main thread parses this share itself and reports what went wrong there.
  results = { error: String(error) };
}
port.postMessage(results);
Atomics.store(state, 0, WORKER_STATE.DONE);
Atomics.notify(state, 0);
