// Strategic merge of a patch into a resource value, Kustomize-style: maps merge, `null` deletes a key,
// lists of named items merge by their key, other lists are replaced.

type Json = unknown;

/** The key that identifies an item of a list, when the list's items are keyed mappings. */
export function mergeKeyOf(item: Json): string | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
  const o = item as Record<string, unknown>;
  if (typeof o.name === 'string') return `name=${o.name}`;
  if (typeof o.version === 'string') return `version=${o.version}`;
  if (typeof o.provider === 'string' && typeof o.model === 'string') return `target=${o.provider}/${o.model}`;
  if (typeof o.id === 'string') return `id=${o.id}`;
  return undefined;
}

function isPlainObject(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function strategicMerge(base: Json, patch: Json): Json {
  if (isPlainObject(base) && isPlainObject(patch)) {
    const out: Record<string, Json> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = key in base ? strategicMerge(base[key], value) : value;
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(patch) && patch.length > 0 && patch.every((p) => mergeKeyOf(p) !== undefined)) {
    const out = [...base];
    for (const item of patch) {
      const key = mergeKeyOf(item);
      const at = out.findIndex((b) => mergeKeyOf(b) === key);
      if (at >= 0) out[at] = strategicMerge(out[at], item);
      else out.push(item);
    }
    return out;
  }
  return patch;
}

/**
 * Where the node at `path` of a merged value came from in `source` (the patch or the base), or undefined
 * when `source` did not supply it. List items are matched by merge key, so indexes may differ.
 */
export function sourcePath(merged: Json, source: Json, path: readonly (string | number)[]): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  let m = merged;
  let s = source;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(m) || !Array.isArray(s)) return undefined;
      const item = m[step];
      const key = mergeKeyOf(item);
      const at = key === undefined ? (s.length === m.length ? step : -1) : s.findIndex((x) => mergeKeyOf(x) === key);
      if (at < 0) return undefined;
      out.push(at);
      m = item;
      s = s[at];
    } else {
      if (!isPlainObject(m) || !isPlainObject(s) || !(step in s)) return undefined;
      out.push(step);
      m = m[step];
      s = s[step];
    }
  }
  return out;
}
