// Drift: how what is deployed differs from what a build of the config would write. Pure.
// Files are compared by content (JSON and YAML by value, so formatting does not count). Kubernetes objects
// are compared by identity, whatever file holds them, and only on the fields the build sets: a
// `kubectl get -o yaml` dump adds status, defaults and bookkeeping that are not drift.
import { parseAllDocuments } from 'yaml';
import type { ArtifactSet } from '../plan/artifact-diff.ts';
import { readable } from '../plan/artifact-diff.ts';
import { unifiedDiff } from '../plan/line-diff.ts';
import { maskFieldChange } from '../plan/mask-change.ts';
import { maskText } from '../../kernel/mask.ts';
import type { FieldChange } from '../plan/types.ts';
import { deepEqual, diffValues, isPlainObject } from '../plan/value-diff.ts';

export interface DriftItem {
  target: string;
  /** A file path under the target, or a Kubernetes object `Kind/namespace/name`. */
  id: string;
  /** `missing`: built, not deployed. `changed`: both, different. `unexpected`: deployed, not built. */
  status: 'missing' | 'changed' | 'unexpected';
  /** Unified diff for files. */
  diff?: string;
  /** Fields the build sets that the deployed object lacks or holds otherwise. */
  fields?: FieldChange[];
}

export const KUBERNETES_TARGET = 'k8s';

export function detectDrift(expected: ArtifactSet, deployed: ArtifactSet): DriftItem[] {
  const items: DriftItem[] = [];
  for (const target of Object.keys(expected).sort()) {
    const built = expected[target];
    const live = deployed[target] ?? {};
    items.push(...(target === KUBERNETES_TARGET ? objectDrift(target, built, live) : fileDrift(target, built, live)));
  }
  return items;
}

function fileDrift(target: string, built: Record<string, string>, live: Record<string, string>): DriftItem[] {
  const items: DriftItem[] = [];
  for (const file of Object.keys(built).sort()) {
    if (!(file in live)) items.push({ target, id: file, status: 'missing' });
    else if (!sameContent(file, built[file], live[file])) {
      const label = `${target}/${file}`;
      const diff = unifiedDiff(readable(file, live[file]), readable(file, built[file]), { from: label, to: label }).text;
      items.push({ target, id: file, status: 'changed', diff: maskText(diff) });
    }
  }
  for (const file of Object.keys(live).sort()) if (!(file in built)) items.push({ target, id: file, status: 'unexpected' });
  return items;
}

function sameContent(file: string, a: string, b: string): boolean {
  if (a === b) return true;
  const parsed = (text: string): unknown => {
    if (file.endsWith('.json')) return JSON.parse(text);
    if (/\.ya?ml$/.test(file)) return parseAllDocuments(text).map((d) => d.toJS());
    throw new Error('not structured');
  };
  try {
    return deepEqual(parsed(a), parsed(b));
  } catch {
    return false;
  }
}

type K8sObject = Record<string, unknown> & {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
};

/** Objects the build manages carry this label; a deployed one that the build no longer makes is stale. */
const MANAGED_BY = 'app.kubernetes.io/managed-by';

function objectDrift(target: string, built: Record<string, string>, live: Record<string, string>): DriftItem[] {
  const desired = objectsOf(built);
  const actual = objectsOf(live);
  const items: DriftItem[] = [];
  for (const [id, object] of desired) {
    const found = actual.get(id);
    if (!found) {
      items.push({ target, id, status: 'missing' });
      continue;
    }
    const fields = subsetDiff(found, object).map(maskFieldChange);
    if (fields.length > 0) items.push({ target, id, status: 'changed', fields });
  }
  const managers = new Set([...desired.values()].map((o) => o.metadata.labels?.[MANAGED_BY]).filter(Boolean));
  for (const [id, object] of actual) {
    if (!desired.has(id) && managers.has(object.metadata.labels?.[MANAGED_BY])) items.push({ target, id, status: 'unexpected' });
  }
  return items;
}

/** Every object in the YAML files, `kind: List` dumps unpacked, by `Kind/namespace/name`. */
function objectsOf(files: Record<string, string>): Map<string, K8sObject> {
  const objects = new Map<string, K8sObject>();
  const add = (value: unknown) => {
    if (!isPlainObject(value) || typeof value.kind !== 'string') return;
    if (value.kind === 'List' && Array.isArray(value.items)) return value.items.forEach(add);
    const metadata = value.metadata;
    if (!isPlainObject(metadata) || typeof metadata.name !== 'string') return;
    const object = value as K8sObject;
    objects.set(`${object.kind}/${object.metadata.namespace ?? 'default'}/${object.metadata.name}`, object);
  };
  for (const [file, text] of Object.entries(files)) {
    if (!/\.ya?ml$/.test(file) && !file.endsWith('.json')) continue;
    for (const doc of parseAllDocuments(text)) add(doc.toJS());
  }
  return objects;
}

/** Differences on the fields `desired` sets; fields only `live` has (status, defaults) are not drift. */
function subsetDiff(live: unknown, desired: unknown): FieldChange[] {
  return diffValues(live, desired).filter((f) => f.op !== 'remove' && f.op !== 'reorder');
}
