// What `promote` carries from one environment to another: the pinned versions, and nothing else.
//   Route     spec.targets[].weight            (targets only the destination has get weight 0)
//   Prompt    spec.serve[].weight              (versions only the destination serves get weight 0),
//             spec.versions.<v>                for each version the source serves with weight > 0, when it differs
//   Provider  spec.models[].version            for models both environments declare
// Pure: effective resources in, edits to the destination's overlay out.
import type { AnyResource, Resource } from '../../kernel/resource.ts';
import { SCHEMA_DEFAULTS } from '../../schema/values.ts';
import { deepEqual } from '../plan/value-diff.ts';

/** Set `set` on the item of `spec.<list>` identified by `key` (the overlay merges list items by that key). */
export interface ItemEdit {
  list: 'targets' | 'serve' | 'models';
  key: Record<string, string>;
  set: Record<string, unknown>;
}

/** Set the value at `spec.<path>`. */
export interface ValueEdit {
  path: string[];
  value: unknown;
}

export interface Pin {
  kind: 'Route' | 'Prompt' | 'Provider';
  name: string;
  items: ItemEdit[];
  values: ValueEdit[];
}

type WeightedList = 'targets' | 'serve';
/** Weights default to the schema's, so a weight left out and one written as the default are the same pin. */
const DEFAULT_WEIGHT: Record<WeightedList, number> = {
  targets: SCHEMA_DEFAULTS.Route['spec.targets[].weight'],
  serve: SCHEMA_DEFAULTS.Prompt['spec.serve[].weight'],
};
const weightOf = (item: { weight?: number }, list: WeightedList) => item.weight ?? DEFAULT_WEIGHT[list];

export function collectPins(from: readonly AnyResource[], to: readonly AnyResource[]): Pin[] {
  const source = new Map(from.map((r) => [r.id, r]));
  const pins: Pin[] = [];
  for (const dst of to) {
    const src = source.get(dst.id);
    if (!src) continue;
    const pin = pinOf(src, dst);
    if (pin && pin.items.length + pin.values.length > 0) pins.push(pin);
  }
  return pins.sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : 1) : a.kind < b.kind ? -1 : 1));
}

function pinOf(src: AnyResource, dst: AnyResource): Pin | undefined {
  if (src.kind === 'Route' && dst.kind === 'Route') return routePin(src, dst);
  if (src.kind === 'Prompt' && dst.kind === 'Prompt') return promptPin(src, dst);
  if (src.kind === 'Provider' && dst.kind === 'Provider') return providerPin(src, dst);
  return undefined;
}

/** Weights of a keyed list, made equal to the source's: differing ones set, extra ones of `dst` set to 0. */
function weightEdits<T extends { weight?: number }>(
  list: WeightedList,
  src: readonly T[],
  dst: readonly T[],
  keyOf: (item: T) => Record<string, string>,
): ItemEdit[] {
  const id = (item: T) => JSON.stringify(keyOf(item));
  const edits: ItemEdit[] = [];
  for (const s of src) {
    const d = dst.find((x) => id(x) === id(s));
    if (!d || weightOf(d, list) !== weightOf(s, list)) edits.push({ list, key: keyOf(s), set: { weight: weightOf(s, list) } });
  }
  for (const d of dst) {
    if (!src.some((s) => id(s) === id(d)) && weightOf(d, list) !== 0) edits.push({ list, key: keyOf(d), set: { weight: 0 } });
  }
  return edits;
}

function routePin(src: Resource<'Route'>, dst: Resource<'Route'>): Pin {
  const key = (t: { provider: string; model: string }) => ({ provider: t.provider, model: t.model });
  return { kind: 'Route', name: dst.name, items: weightEdits('targets', src.value.spec.targets, dst.value.spec.targets, key), values: [] };
}

function promptPin(src: Resource<'Prompt'>, dst: Resource<'Prompt'>): Pin {
  const items = weightEdits('serve', src.value.spec.serve, dst.value.spec.serve, (s) => ({ version: s.version }));
  // A version served in the source must exist, with the same template, in the destination.
  const values = src.value.spec.serve
    .filter((s) => weightOf(s, 'serve') > 0 && !deepEqual(src.value.spec.versions[s.version], dst.value.spec.versions[s.version]))
    .map((s) => ({ path: ['versions', s.version], value: src.value.spec.versions[s.version] }));
  return { kind: 'Prompt', name: dst.name, items, values };
}

function providerPin(src: Resource<'Provider'>, dst: Resource<'Provider'>): Pin {
  const items: ItemEdit[] = [];
  for (const model of dst.value.spec.models) {
    const from = src.value.spec.models.find((m) => m.name === model.name);
    // `null` removes the key in an overlay: a pin the source does not have is dropped, not kept.
    if (from && from.version !== model.version)
      items.push({ list: 'models', key: { name: model.name }, set: { version: from.version ?? null } });
  }
  return { kind: 'Provider', name: dst.name, items, values: [] };
}
