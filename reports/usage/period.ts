// --since/--until: a day (`2026-01-15`, the whole UTC day) or an RFC 3339 date-time, as inclusive epoch-ms bounds.
import { canonicalTimestamp, isRealDay } from './timestamp.ts';

const DAY = /^(\d{4})-(\d\d)-(\d\d)$/;

/** Epoch ms of the bound, or undefined when `value` is not a date. `until` of a day means its last millisecond. */
export function parseBound(value: string, edge: 'since' | 'until'): number | undefined {
  const day = DAY.exec(value);
  if (day) {
    if (!isRealDay(Number(day[1]), Number(day[2]), Number(day[3]))) return undefined;
    const start = Date.parse(`${value}T00:00:00Z`);
    return edge === 'since' ? start : start + 86_400_000 - 1;
  }
  const ts = canonicalTimestamp(value);
  return ts === undefined ? undefined : Date.parse(ts);
}
