// Field-level difference of two plain values (parsed YAML/JSON). Lists of named items are matched by key,
// so inserting a target does not report every later one as changed.
import type { DocPath } from '../../kernel/resource.ts';
import type { FieldChange } from './types.ts';

type Json = unknown;

export function isPlainObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The identity of a list item, by the keys the environment overlay also merges on: `name`,
 * `provider`+`model`, `version`. Undefined when the item has none of them.
 */
export function itemKey(item: Json): string | undefined {
  if (!isPlainObject(item)) return undefined;
  if (typeof item.name === 'string') return `name=${item.name}`;
  if (typeof item.provider === 'string' && typeof item.model === 'string') return `${item.provider}/${item.model}`;
  if (typeof item.version === 'string') return `version=${item.version}`;
  return undefined;
}

/** Keys of every item, or undefined when any item lacks one or two items share one. */
function listKeys(list: readonly Json[]): string[] | undefined {
  const keys: string[] = [];
  for (const item of list) {
    const key = itemKey(item);
    if (key === undefined || keys.includes(key)) return undefined;
    keys.push(key);
  }
  return keys;
}

/** Every leaf of `value` as an add (or remove) of its own path; empty containers count as leaves. */
export function leaves(value: Json, op: 'add' | 'remove', path: DocPath = []): FieldChange[] {
  const side = op === 'add' ? { after: value } : { before: value };
  if (Array.isArray(value) && value.length > 0) return value.flatMap((v, i) => leaves(v, op, [...path, i]));
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => leaves(v, op, [...path, k]));
  }
  return [{ op, path, ...side }];
}

export function diffValues(before: Json, after: Json, path: DocPath = []): FieldChange[] {
  if (deepEqual(before, after)) return [];
  if (before === undefined) return [{ op: 'add', path, after }];
  if (after === undefined) return [{ op: 'remove', path, before }];
  if (isPlainObject(before) && isPlainObject(after)) return diffObjects(before, after, path);
  if (Array.isArray(before) && Array.isArray(after)) return diffLists(before, after, path);
  return [{ op: 'change', path, before, after }];
}

function diffObjects(before: Record<string, Json>, after: Record<string, Json>, path: DocPath): FieldChange[] {
  // Keys in the head's order, then the removed ones: the order the reviewer reads the file in.
  const keys = [...Object.keys(after), ...Object.keys(before).filter((k) => !Object.hasOwn(after, k))];
  return keys.flatMap((k) => diffValues(before[k], after[k], [...path, k]));
}

function diffLists(before: readonly Json[], after: readonly Json[], path: DocPath): FieldChange[] {
  const beforeKeys = listKeys(before);
  const afterKeys = listKeys(after);
  if (!beforeKeys || !afterKeys) {
    // Lists of scalars (`retry.on`) read best as one value; unkeyed objects are compared by position.
    if (before.some(isPlainObject) || after.some(isPlainObject)) {
      const length = Math.max(before.length, after.length);
      return Array.from({ length }, (_, i) => diffValues(before[i], after[i], [...path, i])).flat();
    }
    return [{ op: 'change', path, before, after }];
  }
  const changes: FieldChange[] = [];
  after.forEach((item, i) => {
    const j = beforeKeys.indexOf(afterKeys[i]);
    changes.push(...(j < 0 ? [{ op: 'add' as const, path: [...path, i], after: item }] : diffValues(before[j], item, [...path, i])));
  });
  before.forEach((item, j) => {
    if (!afterKeys.includes(beforeKeys[j])) changes.push({ op: 'remove', path: [...path, j], before: item });
  });
  const kept = (keys: string[], other: string[]) => keys.filter((k) => other.includes(k));
  const beforeOrder = kept(beforeKeys, afterKeys);
  const afterOrder = kept(afterKeys, beforeKeys);
  if (!deepEqual(beforeOrder, afterOrder)) changes.push({ op: 'reorder', path, before: beforeOrder, after: afterOrder });
  return changes;
}

/** `spec.targets[0].weight`; keys that are not plain words are quoted (`spec.headers["x.y"]`). */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
