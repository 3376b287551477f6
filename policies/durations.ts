// Durations as rules read them: like the IR builder, but a malformed value is "unknown" instead of a throw.
import { parseDuration } from '../compiler/ir/duration.ts';

/** `30s` -> 30000; undefined for anything that is not a duration. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return parseDuration(value);
  } catch {
    return undefined;
  }
}
