// Parsing through a cache of earlier results: only the files whose path or text is new are parsed.
import { parseFiles, type FileText, type ParsedFileData } from './parse-files.ts';

/**
 * Parse results by file (path and text: a result holds the path in its diagnostics). Whatever `get` returns
 * is the caller's own copy: later stages may hold on to it.
 */
export interface ParseCache {
  get(file: FileText): ParsedFileData | undefined;
  set(file: FileText, parsed: ParsedFileData): void;
}

/** The same results as `parseFiles`, in the same order. */
export function parseFilesCached(files: readonly FileText[], cache: ParseCache | undefined): ParsedFileData[] {
  if (!cache) return parseFiles(files);
  const found = files.map((file) => cache.get(file));
  const missing = files.filter((_, i) => !found[i]);
  const parsed = parseFiles(missing);
  parsed.forEach((result, i) => cache.set(missing[i]!, result));
  let next = 0;
  return found.map((hit) => hit ?? parsed[next++]!);
}
