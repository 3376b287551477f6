// Usage timestamps in one canonical form, `YYYY-MM-DDTHH:MM:SS.sssZ` (what the gateway writes and
// Date#toISOString returns): strings in this form sort as time and start with their UTC day. Lines already
// in it are checked digit by digit, ~10x cheaper than Date.parse, and this runs once per log line.

/** RFC 3339 date-time: a zone is required, seconds and fractions optional. */
const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `ts` in canonical form, or undefined when it is not an RFC 3339 date-time of a real day. */
export function canonicalTimestamp(ts: unknown): string | undefined {
  if (typeof ts !== 'string') return undefined;
  if (ts.length === 24 && isCanonical(ts)) return ts;
  // V8's Date.parse rolls 2026-02-30 over into March: the day is checked first.
  const match = DATE_TIME.exec(ts);
  if (!match || !isRealDay(Number(match[1]), Number(match[2]), Number(match[3]))) return undefined;
  return new Date(Date.parse(ts)).toISOString();
}

export function isRealDay(year: number, month: number, day: number): boolean {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

function isCanonical(ts: string): boolean {
  const separators =
    ts[4] === '-' && ts[7] === '-' && ts[10] === 'T' && ts[13] === ':' && ts[16] === ':' && ts[19] === '.' && ts[23] === 'Z';
  if (!separators || !isRealDay(digits(ts, 0, 4), digits(ts, 5, 2), digits(ts, 8, 2))) return false;
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
