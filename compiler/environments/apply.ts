// Produces the effective resources of one environment: `${{ vars.X }}` substituted, then patches merged.
// Effective resources keep pointing at the source that gave each value: base file or Environment patch.
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import type { AnyResource, DocPath, Resource } from '../../kernel/resource.ts';
import { didYouMean } from '../../kernel/suggest.ts';
import { kindSchema } from '../../schema/schema-node.ts';
import type { EnvironmentSpec } from '../../schema/types.ts';
import { SCHEMA_DEFAULTS } from '../../schema/values.ts';
import { sourcePrefix, strategicMerge } from './merge.ts';

export interface EnvironmentInfo {
  name: string;
  tier: NonNullable<EnvironmentSpec['tier']>;
}

/** `${{ vars.NAME }}`; `${{ env.NAME }}` is left for the runtime. */
const VAR_PATTERN = /\$\{\{\s*vars\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const WHOLE_VAR = /^\$\{\{\s*vars\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

export function environmentsOf(resources: readonly AnyResource[]): Resource<'Environment'>[] {
  return resources.filter((r): r is Resource<'Environment'> => r.kind === 'Environment').sort((a, b) => (a.name < b.name ? -1 : 1));
}

export function environmentInfo(env: Resource<'Environment'> | undefined): EnvironmentInfo {
  return { name: env?.name ?? 'base', tier: env?.value.spec?.tier ?? SCHEMA_DEFAULTS.Environment['spec.tier'] };
}

/** `broken` holds ids of resources that failed validation: patches to them are skipped, not reported. */
export function applyEnvironment(
  resources: readonly AnyResource[],
  env: Resource<'Environment'> | undefined,
  broken: ReadonlySet<string> = new Set(),
): { resources: AnyResource[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const byId = new Map<string, AnyResource>();
  for (const r of resources) {
    const substitute = env && r.kind !== 'Environment';
    if (!substitute) {
      byId.set(r.id, r);
      continue;
    }
    const found = substituted(r, env);
    byId.set(r.id, found.resource);
    for (const d of found.diagnostics) diagnostics.push(d);
  }

  env?.value.spec?.patches?.forEach((p, i) => {
    const id = `${p.target?.kind}/${p.target?.name}`;
    const target = byId.get(id);
    if (broken.has(id)) return;
    if (!target) {
      const sameKind = [...byId.values()].filter((r) => r.kind === p.target?.kind).map((r) => r.name);
      diagnostics.push({
        ruleId: 'reference',
        severity: 'error',
        message: `Patch target ${id} does not exist.${didYouMean(String(p.target?.name), sameKind)}`,
        hint: 'Patches change resources of the base config; declare the resource in the base first.',
        resource: env.id,
        ...env.locate(['spec', 'patches', i, 'target']),
      });
      return;
    }
    byId.set(id, patched(target, env, i));
  });
  return { resources: [...byId.values()], diagnostics };
}

/**
 * The effective resources already made, by base resource and Environment document (both never change once
 * loaded): an environment is applied again to a repo where one file changed, and the resources it did not
 * change must stay the same objects for a compile that keeps findings by resource (pipeline/incremental-checks.ts).
 */
const substitutions = new WeakMap<AnyResource, WeakMap<Resource<'Environment'>, { resource: AnyResource; diagnostics: Diagnostic[] }>>();
const patches = new WeakMap<AnyResource, WeakMap<Resource<'Environment'>, Map<number, AnyResource>>>();

function substituted(r: AnyResource, env: Resource<'Environment'>): { resource: AnyResource; diagnostics: Diagnostic[] } {
  let byEnv = substitutions.get(r);
  if (!byEnv) substitutions.set(r, (byEnv = new WeakMap()));
  let found = byEnv.get(env);
  if (!found) {
    const diagnostics: Diagnostic[] = [];
    byEnv.set(env, (found = { resource: substituteVariables(r, env.value.spec?.variables ?? {}, env, diagnostics), diagnostics }));
  }
  return found;
}

function patched(target: AnyResource, env: Resource<'Environment'>, index: number): AnyResource {
  let byEnv = patches.get(target);
  if (!byEnv) patches.set(target, (byEnv = new WeakMap()));
  let byIndex = byEnv.get(env);
  if (!byIndex) byEnv.set(env, (byIndex = new Map()));
  let found = byIndex.get(index);
  if (!found) byIndex.set(index, (found = patchResource(target, env.value.spec!.patches![index]!.patch, env, index)));
  return found;
}

function patchResource(target: AnyResource, patch: unknown, env: Resource<'Environment'>, index: number): AnyResource {
  const schema = kindSchema(target.kind);
  const merged = strategicMerge(target.value, patch, schema) as AnyResource['value'];
  const patchRoot: DocPath = ['spec', 'patches', index, 'patch'];
  return {
    ...target,
    value: merged,
    locate(path, at) {
      const inPatch = sourcePrefix(merged, patch, path, schema);
      const inBase = sourcePrefix(merged, target.value, path, schema);
      // The file that wrote the node, else the one that wrote more of the way to it: a property missing from an
      // item the patch added is the patch's to fix.
      if (inPatch.length === path.length || inPatch.length > inBase.length) return env.locate([...patchRoot, ...inPatch], at);
      return target.locate(inBase.length === path.length ? inBase : path, at);
    },
  } as AnyResource;
}

/**
 * Whether a document holds a `${{` anywhere, by its value: values are never changed once loaded, so each is
 * scanned once however many environments (or, in the language server, edits of other files) read it.
 */
const templated = new WeakMap<object, boolean>();

function hasTemplate(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('${{');
  if (Array.isArray(value)) return value.some(hasTemplate);
  return value !== null && typeof value === 'object' && Object.values(value).some(hasTemplate);
}

function substituteVariables(
  r: AnyResource,
  variables: Record<string, string | number | boolean>,
  env: Resource<'Environment'>,
  diagnostics: Diagnostic[],
): AnyResource {
  let found = templated.get(r.value);
  if (found === undefined) templated.set(r.value, (found = hasTemplate(r.value)));
  if (!found) return r;
  let changed = false;
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('${{')) return value;
      const whole = WHOLE_VAR.exec(value);
      if (whole && Object.hasOwn(variables, whole[1]!)) {
        changed = true;
        return variables[whole[1]!];
      }
      return value.replace(VAR_PATTERN, (match, name: string) => {
        if (!Object.hasOwn(variables, name)) {
          diagnostics.push({
            ruleId: 'unknown-variable',
            severity: 'error',
            message: `Variable "${name}" is not defined in environment ${env.name}.${didYouMean(name, Object.keys(variables))}`,
            hint: `Add it to ${env.file} under spec.variables.`,
            resource: r.id,
            environment: env.name,
            ...r.locate(path),
          });
          return match;
        }
        changed = true;
        return String(variables[name]);
      });
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i]));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return value;
  };
  const value = walk(r.value, []);
  return changed ? ({ ...r, value } as AnyResource) : r;
}
