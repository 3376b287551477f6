// The response cache key: the route and the request body, normalised so that equal requests match.
import { createHash } from 'node:crypto';

/** Fields that do not change the answer: streaming is never cached, and `user` only labels the caller. */
const IGNORED_FIELDS: ReadonlySet<string> = new Set(['stream', 'stream_options', 'user']);

/** Text written as is between values (punctuation and object keys). */
class Raw {
  constructor(readonly text: string) {}
}
const COMMA = new Raw(',');
const CLOSE_ARRAY = new Raw(']');
const CLOSE_OBJECT = new Raw('}');

/**
 * JSON with object keys sorted at every depth and the top level's IGNORED_FIELDS left out. Iterative,
 * because a parsed request body may nest deeper than the call stack (JSON.stringify would throw).
 */
function canonicalJson(root: unknown): string {
  let out = '';
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value instanceof Raw) {
      out += value.text;
    } else if (value === null || typeof value !== 'object') {
      out += JSON.stringify(value) ?? 'null';
    } else if (Array.isArray(value)) {
      out += '[';
      pending.push(CLOSE_ARRAY);
      for (let i = value.length - 1; i >= 0; i--) {
        pending.push(value[i]);
        if (i > 0) pending.push(COMMA);
      }
    } else {
      const object = value as Record<string, unknown>;
      const keys = Object.keys(object)
        .filter((k) => object[k] !== undefined && !(value === root && IGNORED_FIELDS.has(k)))
        .sort();
      out += '{';
      pending.push(CLOSE_OBJECT);
      for (let i = keys.length - 1; i >= 0; i--) {
        pending.push(object[keys[i]], new Raw(`${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:`));
      }
    }
  }
  return out;
}

/** Hex SHA-256 of the API (one route's chat and Messages answers differ), the route name and the canonical body. */
export function cacheKey(api: string, route: string, body: unknown): string {
  return createHash('sha256').update(api).update('\0').update(route).update('\0').update(canonicalJson(body)).digest('hex');
}
