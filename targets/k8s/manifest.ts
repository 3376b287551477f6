// One manifest of the k8s target as it is written: its YAML and its size as JSON, made where the object is built
// (the worker thread makes the Envoy config's parts, so that the main thread never holds them as objects).
import { toYaml } from '../emit.ts';

export interface WrittenManifest {
  file: string;
  yaml: string;
  /** As JSON, the way kubectl sends it: a little more than what the API server counts, never less. */
  jsonBytes: number;
  /** `Kind/name`, for the object limit's finding. */
  object: string;
}

export function writeManifest(file: string, doc: { kind?: string; metadata?: { name?: string } }): WrittenManifest {
  return { file, yaml: toYaml(doc), jsonBytes: Buffer.byteLength(JSON.stringify(doc)), object: `${doc.kind}/${doc.metadata?.name}` };
}
