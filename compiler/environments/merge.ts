// Strategic merge of a patch into a resource value, Kustomize-style: maps merge, `null` deletes a key, lists
// whose schema declares `x-list-map-keys` merge item by item on those keys, other lists are replaced. The merge
// walks the kind's schema alongside the value to find those declarations.
import { childSchema, schemaKeyword, type SchemaNode } from '../../schema/schema-node.ts';

type Json = unknown;
type Schema = SchemaNode | undefined;

function isPlainObject(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The properties that identify an item of the list `schema` describes, when it declares them. */
function listMapKeys(schema: Schema): readonly string[] | undefined {
  return schema && (schemaKeyword(schema, 'x-list-map-keys') as readonly string[] | undefined);
}

/** An item's identity: its values of `keys`, or undefined when it is not a mapping holding each as a string. */
function itemKey(item: Json, keys: readonly string[]): string | undefined {
  if (!isPlainObject(item)) return undefined;
  const values = keys.map((k) => item[k]);
  return values.every((v) => typeof v === 'string') ? JSON.stringify(values) : undefined;
}

const child = (schema: Schema, step: string | number): Schema => schema && childSchema(schema, step);

export function strategicMerge(base: Json, patch: Json, schema: Schema): Json {
  if (isPlainObject(base) && isPlainObject(patch)) {
    const out: Record<string, Json> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = key in base ? strategicMerge(base[key], value, child(schema, key)) : value;
    }
    return out;
  }
  const keys = listMapKeys(schema);
  if (keys && Array.isArray(base) && Array.isArray(patch) && patch.length > 0 && patch.every((p) => itemKey(p, keys) !== undefined)) {
    const out = [...base];
    for (const item of patch) {
      const key = itemKey(item, keys);
      const at = out.findIndex((b) => itemKey(b, keys) === key);
      if (at >= 0) out[at] = strategicMerge(out[at], item, child(schema, at));
      else out.push(item);
    }
    return out;
  }
  return patch;
}

/**
 * Where the node at `path` of a merged value came from in `source` (the patch or the base): the whole path when
 * `source` supplied that node, else the path of the deepest node on the way that it did supply (for a missing
 * required property, the item holding it). Items of keyed lists are matched by key, so indexes may differ.
 */
export function sourcePrefix(merged: Json, source: Json, path: readonly (string | number)[], schema: Schema): (string | number)[] {
  const out: (string | number)[] = [];
  let m = merged;
  let s = source;
  let at = schema;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(m) || !Array.isArray(s)) return out;
      const item = m[step];
      const keys = listMapKeys(at);
      const key = keys && itemKey(item, keys);
      const index = key === undefined ? (s.length === m.length ? step : -1) : s.findIndex((x) => itemKey(x, keys!) === key);
      if (index < 0) return out;
      out.push(index);
      m = item;
      s = s[index];
    } else {
      if (!isPlainObject(m) || !isPlainObject(s) || !(step in s)) return out;
      out.push(step);
      m = m[step];
      s = s[step];
    }
    at = child(at, step);
  }
  return out;
}
