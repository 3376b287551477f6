// Where a resource names another: one table of the reference fields, read by completion (which names fit
// here), go-to-definition, find-references and rename. The compiler's reference check (compiler/resolve) reports
// the names that do not exist; this says where each name is written, and where the named thing is declared.
import { isGlob } from '../kernel/name-glob.ts';
import type { AnyResource, DocPath, LocateAt } from '../kernel/resource.ts';
import { isKind, type Kind } from '../schema/kinds.ts';

/** A resource (`Route/chat`), a model of a provider, a version of a prompt, or a JWT issuer of the gateway. */
export type Target =
  | { kind: Kind; name: string }
  | { kind: 'Model'; provider: string; name: string }
  | { kind: 'PromptVersion'; prompt: string; name: string }
  | { kind: 'JwtIssuer'; name: string };

/** Which part of the string value names the target: all of it, or the side of `a/b` before or after the slash. */
export type Part = 'whole' | 'prefix' | 'suffix';

export interface Site {
  /** The resource whose document holds the name (an Environment for names in its patches). */
  resource: AnyResource;
  path: DocPath;
  target: Target;
  part: Part;
}

/** The targets a value names; `owner` is the name of the resource the field belongs to (the patched one in a patch). */
type TargetOf = (value: string, parent: Record<string, unknown>, owner: string) => { target: Target; part: Part }[];

/**
 * The names that fit a field, given the resources and a reader of the document's other values by path (`provider`
 * beside `model`, the prompt's own name); `at` is the field's path.
 */
type Offer = (
  resources: readonly AnyResource[],
  read: (path: readonly (string | number)[]) => string | undefined,
  at: readonly (string | number)[],
) => string[];

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

const versionOfOwner: TargetOf = (name, _, prompt) => [{ target: { kind: 'PromptVersion', prompt, name }, part: 'whole' }];

const issuer: TargetOf = (name) => [{ target: { kind: 'JwtIssuer', name }, part: 'whole' }];

const issuersOf = (resources: readonly AnyResource[]): string[] =>
  resources.flatMap((r) => (r.kind === 'Gateway' ? (r.value.spec?.auth?.jwt ?? []).map((j) => String(j?.issuer)) : []));

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
  field('Route', path, modelOfSibling, (rs, read, at) => [
    ...new Set(modelsOf(rs, read([...at.slice(0, -1), 'provider'])).map(([, m]) => m)),
  ]);

export const REFERENCE_FIELDS: readonly ReferenceField[] = [
  ref('Route', 'spec.targets.[].provider', 'Provider'),
  modelRef('spec.targets.[].model'),
  ref('Route', 'spec.fallbacks.[].provider', 'Provider'),
  modelRef('spec.fallbacks.[].model'),
  ref('Prompt', 'spec.route', 'Route'),
  field('Prompt', 'spec.serve.[].version', versionOfOwner, (rs, read) => {
    const prompt = rs.find((r) => r.kind === 'Prompt' && r.name === read(['metadata', 'name']));
    return prompt?.kind === 'Prompt' ? Object.keys(prompt.value.spec?.versions ?? {}) : [];
  }),
  field('Consumer', 'spec.jwt.issuer', issuer, issuersOf),
  ref('AccessPolicy', 'spec.subjects.consumers.[]', 'Consumer'),
  ref('AccessPolicy', 'spec.routes.[]', 'Route'),
  ref('AccessPolicy', 'spec.prompts.[]', 'Prompt'),
  field('AccessPolicy', 'spec.allowedModels.[]', providerModel, (rs) => modelsOf(rs).map(([p, m]) => `${p}/${m}`)),
  ref('AccessPolicy', 'spec.mcp.servers.[].name', 'McpServer'),
  field('Environment', 'spec.patches.[].target.name', patchTarget, (rs, read, at) => namesOf(rs, read([...at.slice(0, -1), 'kind']) ?? '')),
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
  const sites = sitesIn(resource, resource.kind, resource.name, resource.value, []);
  if (resource.kind === 'Environment') {
    resource.value.spec?.patches?.forEach((p, i) => {
      if (isKind(p.target?.kind))
        sites.push(...sitesIn(resource, p.target.kind, String(p.target.name), p.patch, ['spec', 'patches', i, 'patch']));
    });
  }
  return sites;
}

function sitesIn(resource: AnyResource, kind: Kind, owner: string, value: unknown, prefix: DocPath): Site[] {
  const sites: Site[] = [];
  for (const f of REFERENCE_FIELDS) {
    if (f.kind !== kind) continue;
    walk(value, f.path, [...prefix], undefined, (name, path, parent) => {
      if (name === '*' || isGlob(name)) return;
      for (const { target, part } of f.targetOf(name, parent, owner)) sites.push({ resource, path, target, part });
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

/** Where a target is declared: a resource's `metadata.name`, a model's `name`, a prompt version's key, an issuer. */
export function declarationOf(target: Target, resources: ReadonlyMap<string, AnyResource>): Declaration | undefined {
  const owner =
    target.kind === 'Model'
      ? resources.get(`Provider/${target.provider}`)
      : target.kind === 'PromptVersion'
        ? resources.get(`Prompt/${target.prompt}`)
        : target.kind === 'JwtIssuer'
          ? [...resources.values()].find((r) => r.kind === 'Gateway')
          : resources.get(`${target.kind}/${target.name}`);
  return owner && declarationsIn(owner).find((d) => sameTarget(d.target, target));
}

export interface Declaration {
  resource: AnyResource;
  target: Target;
  path: DocPath;
  at: LocateAt;
}

/** The targets a resource declares, each with the path of its name (for a cursor on a declaration). */
export function declarationsIn(resource: AnyResource): Declaration[] {
  const declaration = (target: Target, path: DocPath, at: LocateAt = 'value'): Declaration => ({ resource, target, path, at });
  const own = declaration({ kind: resource.kind, name: resource.name }, ['metadata', 'name']);
  switch (resource.kind) {
    case 'Provider':
      return [
        own,
        ...(resource.value.spec?.models ?? []).flatMap((m, i) =>
          typeof m?.name === 'string'
            ? [declaration({ kind: 'Model', provider: resource.name, name: m.name }, ['spec', 'models', i, 'name'])]
            : [],
        ),
      ];
    case 'Prompt':
      return [
        own,
        ...Object.keys(resource.value.spec?.versions ?? {}).map((name) =>
          declaration({ kind: 'PromptVersion', prompt: resource.name, name }, ['spec', 'versions', name], 'key'),
        ),
      ];
    case 'Gateway':
      return [
        own,
        ...(resource.value.spec?.auth?.jwt ?? []).flatMap((j, i) =>
          typeof j?.issuer === 'string' ? [declaration({ kind: 'JwtIssuer', name: j.issuer }, ['spec', 'auth', 'jwt', i, 'issuer'])] : [],
        ),
      ];
    default:
      return [own];
  }
}

export function sameTarget(a: Target, b: Target): boolean {
  const owner = (t: Target) => ('provider' in t ? t.provider : 'prompt' in t ? t.prompt : undefined);
  return a.kind === b.kind && a.name === b.name && owner(a) === owner(b);
}
