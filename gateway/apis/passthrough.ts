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
 * The client's bytes with these top-level `values` spliced in (a key the client did not send goes first), or the
 * parsed body re-encoded with them when the bytes cannot serve: redaction edited it, a value is undefined (the key
 * is to go), or a key is written with escapes or given twice (either could make the provider read another value
 * than the gateway did).
 */
export function passthroughBody(req: RawRequest, values: Record<string, unknown>): Buffer | string {
  const keys = Object.keys(values);
  const reencoded = () => JSON.stringify({ ...req.body, ...values });
  const ranges = req.edited || keys.some((k) => values[k] === undefined) ? undefined : uniqueMembers(req.raw, keys);
  if (!ranges) return reencoded();
  const missing = keys.filter((_, i) => !ranges[i]);
  // A key the scan did not find but the parser did is written with escapes.
  if (missing.some((k) => Object.hasOwn(req.body, k))) return reencoded();
  let out = req.raw;
  // From the last range to the first, so that the offsets still to use stay valid.
  const present = keys.map((_, i) => i).filter((i) => ranges[i]);
  for (const i of present.sort((a, b) => ranges[b]![0] - ranges[a]![0]))
    out = replaceRange(out, ...ranges[i]!, JSON.stringify(values[keys[i]]));
  if (missing.length === 0) return out;
  const first = out.indexOf(0x7b) + 1; // the object has members: the new ones go in front of them
  return replaceRange(out, first, first, missing.map((k) => `${JSON.stringify(k)}:${JSON.stringify(values[k])},`).join(''));
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
