// What any passthrough leg sends: the client's bytes with the few values the gateway owns spliced in, and the
// client's headers that the provider's API defines.
import type { Call } from '../call.ts';
import type { Redactor } from '../snapshot.ts';
import type { ApiRequest } from './api.ts';
import { replaceRange, uniqueMembers } from './json-fields.ts';

/** A request that may go out as its bytes. */
export interface RawRequest extends ApiRequest {
  /** The body's bytes as received. */
  readonly raw: Buffer;
  /** Set when redaction changed a text: the bytes no longer say what is to be sent. */
  edited: boolean;
}

/** A redactor that marks the request edited when it changes a text. */
export function markingRedactor(req: RawRequest, redact: Redactor): Redactor {
  return (text) => {
    const out = redact(text);
    if (out !== text) req.edited = true;
    return out;
  };
}

/**
 * The client's bytes with these top-level `values` spliced in, or the parsed body re-encoded with them when the
 * bytes cannot serve: redaction edited it, or a key is missing, written with escapes, or given twice (a duplicate
 * could make the provider read another value than the gateway did).
 */
export function passthroughBody(req: RawRequest, values: Record<string, unknown>): Buffer | string {
  const keys = Object.keys(values);
  const ranges = req.edited ? undefined : uniqueMembers(req.raw, keys);
  if (!ranges) return JSON.stringify({ ...req.body, ...values });
  let out = req.raw;
  // From the last range to the first, so that the offsets still to use stay valid.
  for (const k of keys.map((_, k) => k).sort((a, b) => ranges[b][0] - ranges[a][0])) out = replaceRange(out, ...ranges[k], JSON.stringify(values[keys[k]]));
  return out;
}

/** The request headers among `names` the client sent (single-valued), to forward. */
export function forwardedHeaders(call: Call, names: readonly string[]): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const name of names) {
    const value = call.req.headers[name];
    if (typeof value === 'string') forwarded[name] = value;
  }
  return forwarded;
}
