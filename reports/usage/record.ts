// One usage log line -> a checked UsageRecord, or the reason it cannot be used. Only the fields the report
// reads are checked, so lines from a newer gateway with extra fields still count. This runs once per line:
// plain property reads (no loops over key names) keep V8 on its fast path.
import type { UsageRecord } from '../../schema/types.ts';
import { canonicalTimestamp } from './timestamp.ts';

export interface ParsedRecord {
  record: UsageRecord;
  /** `ts` in canonical UTC form (see timestamp.ts). */
  ts: string;
}

/** One of the gateway's operational log lines (`{ts, level, msg}`): `kubectl logs` mixes them with usage lines. */
export const OPERATIONAL_LINE = Symbol('operational log line');

export function parseRecord(line: string): ParsedRecord | typeof OPERATIONAL_LINE | string {
  let r: UsageRecord;
  try {
    r = JSON.parse(line);
  } catch {
    // V8's message quotes the line; log lines may carry prompts, so the reason stays generic.
    return 'not valid JSON';
  }
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return 'not a JSON object';
  if (r.requestId === undefined && isOperational(r)) return OPERATIONAL_LINE;
  const ts = canonicalTimestamp(r.ts);
  if (ts === undefined) return '"ts" is not an ISO 8601 date-time';
  if (!Number.isInteger(r.status)) return '"status" is not an integer';
  if (!isCount(r.inputTokens)) return '"inputTokens" is not a number >= 0';
  if (!isCount(r.outputTokens)) return '"outputTokens" is not a number >= 0';
  if (!isCount(r.costUsd)) return '"costUsd" is not a number >= 0';
  if (!isCount(r.latencyMs)) return '"latencyMs" is not a number >= 0';
  if (!isName(r.consumer)) return '"consumer" is not a string or null';
  if (!isName(r.route)) return '"route" is not a string or null';
  if (!isName(r.provider)) return '"provider" is not a string or null';
  if (!isName(r.model)) return '"model" is not a string or null';
  if (r.cache !== 'hit' && r.cache !== 'miss' && r.cache !== 'bypass') return '"cache" is not hit, miss or bypass';
  return { record: r, ts };
}

const isOperational = (r: object): boolean =>
  typeof (r as { level?: unknown }).level === 'string' && typeof (r as { msg?: unknown }).msg === 'string';
const isCount = (n: unknown): boolean => typeof n === 'number' && n >= 0;
const isName = (s: unknown): boolean => s === null || typeof s === 'string';
