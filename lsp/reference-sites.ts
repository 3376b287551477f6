// Where a resource names another: one table of the reference fields, read by completion (which names fit
// here), go-to-definition, find-references and rename. The compiler's reference check (compiler/resolve) reports
// the names that do not exist; this says where each name is written, and where the named thing is declared.
import { isGlob } from '../kernel/name-glob.ts';
import type { AnyResource, DocPath } from '../kernel/resource.ts';
import { isKind, type Kind } from '../schema/kinds.ts';

/** A resource (`Route/chat`) or one model of a provider. */
export type Target = { kind: Kind; name: string } | { kind: 'Model'; provider: string; name: string };

/** Which part of the string value names the target: all of it, or the side of `a/b` before or after the slash. */
export type Part = 'whole' | 'prefix' | 'suffix';

export interface Site {
  /** The resource whose document holds the name (an Environment for names in its patches). */
  resource: AnyResource;
  path: DocPath;
  target: Target;
  part: Part;
}

type TargetOf = (value: string, parent: Record<string, unknown>) => { target: Target; part: Part }[];

/** The names that fit a field, given the resources and the values of the keys beside it (`provider` beside `model`). */
type Offer = (resources: readonly AnyResource[], sibling: (key: string) => string | undefined) => string[];

export interface ReferenceField {
  kind: Kind;
  /** Steps from the document root; `[]` is every item of a list. */
  path: string[];
  targetOf: TargetOf;
  offer: Offer;
}

const named =
  (kind: Kind): TargetOf =>
  (name) => [{ target: { kind, name }, part: 'whole' }];

const namesOf = (resources: readonly AnyResource[], kind: string): string[] => resources.filter((r) => r.kind === kind).map((r) => r.name);

const modelsOf = (resources: readonly AnyResource[], provider?: string): [string, string][] =>
  resources.flatMap((r) =>
    r.kind === 'Provider' && (provider === undefined || r.name === provider)
      ? (r.value.spec?.models ?? []).map((m): [string, string] => [r.name, String(m?.name)])
      : [],
  );

const modelOfSibling: TargetOf = (name, parent) =>
  typeof parent.provider === 'string' ? [{ target: { kind: 'Model', provider: parent.provider, name }, part: 'whole' }] : [];

/** `provider/model` names both. */
const providerModel: TargetOf = (value) => {
  const slash = value.indexOf('/');
  if (slash <= 0) return [];
  const provider = value.slice(0, slash);
  return [
    { target: { kind: 'Provider', name: provider }, part: 'prefix' },
    { target: { kind: 'Model', provider, name: value.slice(slash + 1) }, part: 'suffix' },
  ];
};

/** `Kind/name` of a PolicyException's waived resources. */
const kindSlashName: TargetOf = (value) => {
  const slash = value.indexOf('/');
  const kind = value.slice(0, slash);
  return slash > 0 && isKind(kind) ? [{ target: { kind, name: value.slice(slash + 1) }, part: 'suffix' }] : [];
};

const patchTarget: TargetOf = (name, parent) => (isKind(parent.kind) ? [{ target: { kind: parent.kind, name }, part: 'whole' }] : []);

const field = (kind: Kind, path: string, targetOf: TargetOf, offer: Offer): ReferenceField => ({
  kind,
  path: path.split('.'),
  targetOf,
  offer,
});

const ref = (kind: Kind, path: string, target: Kind): ReferenceField => field(kind, path, named(target), (rs) => namesOf(rs, target));
const modelRef = (path: string): ReferenceField =>
  field('Route', path, modelOfSibling, (rs, sibling) => [...new Set(modelsOf(rs, sibling('provider')).map(([, m]) => m))]);

export const REFERENCE_FIELDS: readonly ReferenceField[] = [
  ref('Route', 'spec.targets.[].provider', 'Provider'),
  modelRef('spec.targets.[].model'),
  ref('Route', 'spec.fallbacks.[].provider', 'Provider'),
  modelRef('spec.fallbacks.[].model'),
  ref('Prompt', 'spec.route', 'Route'),
  ref('AccessPolicy', 'spec.subjects.consumers.[]', 'Consumer'),
  ref('AccessPolicy', 'spec.routes.[]', 'Route'),
  ref('AccessPolicy', 'spec.prompts.[]', 'Prompt'),
  field('AccessPolicy', 'spec.allowedModels.[]', providerModel, (rs) => modelsOf(rs).map(([p, m]) => `${p}/${m}`)),
  ref('AccessPolicy', 'spec.mcp.servers.[].name', 'McpServer'),
  field('Environment', 'spec.patches.[].target.name', patchTarget, (rs, sibling) => namesOf(rs, sibling('kind') ?? '')),
  field('PolicyException', 'spec.resources.[]', kindSlashName, (rs) => rs.map((r) => r.id)),
];

/** The reference field at a path of a document of this kind (list indexes match `[]`). */
export function referenceFieldAt(kind: string | undefined, path: readonly (string | number)[]): ReferenceField | undefined {
  return REFERENCE_FIELDS.find(
    (f) =>
      f.kind === kind &&
      f.path.length === path.length &&
      f.path.every((step, i) => (step === '[]' ? typeof path[i] === 'number' : step === path[i])),
  );
}

/** Every name a resource writes, those in an Environment's patches included (read with the patched kind's fields). */
export function sitesOf(resource: AnyResource): Site[] {
  const sites = sitesIn(resource, resource.kind, resource.value, []);
  if (resource.kind === 'Environment') {
    resource.value.spec?.patches?.forEach((p, i) => {
      if (isKind(p.target?.kind)) sites.push(...sitesIn(resource, p.target.kind, p.patch, ['spec', 'patches', i, 'patch']));
    });
  }
  return sites;
}

function sitesIn(resource: AnyResource, kind: Kind, value: unknown, prefix: DocPath): Site[] {
  const sites: Site[] = [];
  for (const f of REFERENCE_FIELDS) {
    if (f.kind !== kind) continue;
    walk(value, f.path, [...prefix], undefined, (name, path, parent) => {
      if (name === '*' || isGlob(name)) return;
      for (const { target, part } of f.targetOf(name, parent)) sites.push({ resource, path, target, part });
    });
  }
  return sites;
}

function walk(
  value: unknown,
  steps: readonly string[],
  path: (string | number)[],
  parent: Record<string, unknown> | undefined,
  visit: (name: string, path: DocPath, parent: Record<string, unknown>) => void,
): void {
  if (steps.length === 0) {
    if (typeof value === 'string' && parent) visit(value, path, parent);
    return;
  }
  const [step, ...rest] = steps;
  if (step === '[]') {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, rest, [...path, i], parent ?? {}, visit));
    return;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const object = value as Record<string, unknown>;
  walk(object[step!], rest, [...path, step!], object, visit);
}

/** Where a target is declared: a resource's `metadata.name`, or the `name` of a provider's model. */
export function declarationOf(
  target: Target,
  byId: ReadonlyMap<string, AnyResource>,
): { resource: AnyResource; path: DocPath } | undefined {
  if (target.kind !== 'Model') {
    const resource = byId.get(`${target.kind}/${target.name}`);
    return resource && { resource, path: ['metadata', 'name'] };
  }
  const provider = byId.get(`Provider/${target.provider}`);
  if (provider?.kind !== 'Provider') return undefined;
  const index = (provider.value.spec?.models ?? []).findIndex((m) => m?.name === target.name);
  return index < 0 ? undefined : { resource: provider, path: ['spec', 'models', index, 'name'] };
}

/** The targets a resource declares, each with the path of its name (for a cursor on a declaration). */
export function declarationsIn(resource: AnyResource): { target: Target; path: DocPath }[] {
  const own = { target: { kind: resource.kind, name: resource.name }, path: ['metadata', 'name'] as DocPath };
  if (resource.kind !== 'Provider') return [own];
  const models = (resource.value.spec?.models ?? []).flatMap((m, i) =>
    typeof m?.name === 'string'
      ? [{ target: { kind: 'Model' as const, provider: resource.name, name: m.name }, path: ['spec', 'models', i, 'name'] }]
      : [],
  );
  return [own, ...models];
}

export function sameTarget(a: Target, b: Target): boolean {
  return a.kind === b.kind && a.name === b.name && (a.kind !== 'Model' || (b.kind === 'Model' && a.provider === b.provider));
}
