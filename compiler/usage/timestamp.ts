// Usage timestamps in one canonical form, `YYYY-MM-DDTHH:MM:SS.sssZ` (what the gateway writes and
// Date#toISOString returns): strings in this form sort as time and start with their UTC day. Lines already
// in it are checked digit by digit, which is ~10x cheaper than Date.parse and it runs once per log line.

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `ts` in canonical form, or undefined when it is not an ISO 8601 date-time. */
export function canonicalTimestamp(ts: unknown): string | undefined {
  if (typeof ts !== 'string') return undefined;
  if (ts.length === 24 && isCanonical(ts)) return ts;
  // Other ISO forms (offsets, no milliseconds): Date.parse alone would also take `Jan 5 2026`.
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(ts)) return undefined;
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function isCanonical(ts: string): boolean {
  if (ts.charCodeAt(4) !== 45 || ts.charCodeAt(7) !== 45 || ts.charCodeAt(10) !== 84) return false; // - - T
  if (ts.charCodeAt(13) !== 58 || ts.charCodeAt(16) !== 58 || ts.charCodeAt(19) !== 46 || ts.charCodeAt(23) !== 90) return false; // : : . Z
  const year = digits(ts, 0, 4);
  const month = digits(ts, 5, 2);
  const day = digits(ts, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return false;
  const hour = digits(ts, 11, 2);
  const minute = digits(ts, 14, 2);
  const second = digits(ts, 17, 2);
  return hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 60 && digits(ts, 20, 3) >= 0;
}

/** The decimal number in `s[at, at + length)`, or -1 if any character is not a digit. */
function digits(s: string, at: number, length: number): number {
  let n = 0;
  for (let i = at; i < at + length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
