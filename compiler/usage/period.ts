// --since/--until: a day (`2026-01-15`, whole UTC day) or an ISO date-time, as inclusive epoch-ms bounds.
const DAY = /^\d{4}-\d\d-\d\d$/;
const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/** Epoch ms of the bound, or undefined when `value` is not a date. `until` of a day means its last millisecond. */
export function parseBound(value: string, edge: 'since' | 'until'): number | undefined {
  if (DAY.test(value)) {
    const start = Date.parse(`${value}T00:00:00Z`);
    if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== value) return undefined;
    return edge === 'since' ? start : start + 86_400_000 - 1;
  }
  if (!DATE_TIME.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
