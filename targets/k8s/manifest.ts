// One manifest of the k8s target as it is written: its YAML and its size as JSON, made where the object is built
// (the worker thread makes the Envoy config's parts, so that the main thread never holds them as objects).
import { toYaml } from '../emit.ts';
import { piece, type PieceCache } from '../target.ts';

export interface WrittenManifest {
  file: string;
  yaml: string;
  /** As JSON, the way kubectl sends it: a little more than what the API server counts, never less. */
  jsonBytes: number;
  /** `Kind/name`, for the object limit's finding. */
  object: string;
}

/** With `pieces`, the YAML of an equal object written before is taken (a ConfigMap part of a large file is worth it). */
export function writeManifest(file: string, doc: { kind?: string; metadata?: { name?: string } }, pieces?: PieceCache): WrittenManifest {
  const yaml = piece(pieces, 'yaml-document', doc, () => toYaml(doc));
  return { file, yaml, jsonBytes: Buffer.byteLength(JSON.stringify(doc)), object: `${doc.kind}/${doc.metadata?.name}` };
}
