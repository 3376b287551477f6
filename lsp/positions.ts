// Between the compiler's 1-based `file:line:col` spans (paths relative to the config root) and the editor's
// 0-based ranges in documents named by URI.
import { relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Position, Range } from 'vscode-languageserver';
import type { Location } from '../kernel/diagnostics.ts';

export function toRange(at: Location): Range {
  return { start: { line: at.line - 1, character: at.column - 1 }, end: { line: at.endLine - 1, character: at.endColumn - 1 } };
}

/** Whether the position falls within the span, its end included (a cursor just after a name is on it). */
export function contains(at: Location, position: Position): boolean {
  return rangeContains(toRange(at), position);
}

export function rangeContains({ start, end }: Range, { line, character }: Position): boolean {
  const afterStart = line > start.line || (line === start.line && character >= start.character);
  const beforeEnd = line < end.line || (line === end.line && character <= end.character);
  return afterStart && beforeEnd;
}

export function pathToUri(root: string, path: string): string {
  return pathToFileURL(resolve(root, path)).href;
}

/** The path relative to the root, or undefined for a document outside it (or not a file). */
export function uriToPath(root: string, uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  const rel = relative(resolve(root), fileURLToPath(uri));
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) return undefined;
  return rel.split(sep).join('/');
}

/** Offsets of each line's start, for turning positions into offsets in a text. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

export function offsetOf(starts: readonly number[], position: Position): number {
  return (starts[position.line] ?? starts.at(-1)!) + position.character;
}

export function positionOf(starts: readonly number[], offset: number): Position {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: offset - starts[low]! };
}
