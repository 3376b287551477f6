// What any passthrough leg sends: the client's bytes with the few values the gateway owns spliced in, and the
// client's headers that the provider's API defines.
import type { Call } from '../call.ts';
import type { Redactor } from '../snapshot.ts';
import type { ApiRequest } from './api.ts';
import { type Edit, splice, uniqueMembers } from './json-fields.ts';

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
 * than the gateway did). One copy of the bytes, whatever the number of values.
 */
export function passthroughBody(req: RawRequest, values: Record<string, unknown>): Buffer | string {
  const keys = Object.keys(values);
  let ranges = req.edited ? undefined : uniqueMembers(req.raw, keys);
  const edits: Edit[] = [];
  let front = '';
  for (let i = 0; ranges && i < keys.length; i++) {
    const key = keys[i];
    const value = values[key];
    const range = ranges[i];
    // A key the scan did not find but the parser did is written with escapes.
    if (value === undefined || (!range && Object.hasOwn(req.body, key))) ranges = undefined;
    else if (range) edits.push({ start: range[0], end: range[1], text: JSON.stringify(value) });
    else front += `${JSON.stringify(key)}:${JSON.stringify(value)},`;
  }
  if (!ranges) return JSON.stringify({ ...req.body, ...values });
  if (front !== '') {
    const first = req.raw.indexOf(0x7b) + 1; // the object has members: the new ones go in front of them
    edits.push({ start: first, end: first, text: front });
  }
  return splice(req.raw, edits);
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
