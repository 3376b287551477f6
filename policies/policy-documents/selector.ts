// `match` / `exclude` of Policy documents: kinds, name globs, labels and environments, compiled once.
import picomatch from 'picomatch';
import type { AnyResource } from '../../kernel/resource.ts';
import type { ResourceSelector } from '../../schema/types.ts';

export type SelectableKind = NonNullable<ResourceSelector['kinds']>[number];

/** Every kind a Policy can select; Policies and their exceptions are never policed themselves. */
export const SELECTABLE_KINDS: readonly SelectableKind[] = ['Gateway', 'Provider', 'Route', 'Prompt', 'Consumer', 'AccessPolicy', 'McpServer', 'Environment'];

export type Selects = (resource: AnyResource, environment: string | undefined) => boolean;

/**
 * Whether a resource is selected: every given criterion must hold. With `environments`, a resource is selected
 * only while that environment is compiled (never in a test case that names no environment).
 */
export function compileSelector(selector: ResourceSelector): Selects {
  const kinds = new Set<string>(selector.kinds ?? SELECTABLE_KINDS);
  const names = selector.names?.length ? picomatch(selector.names) : undefined;
  const labels = Object.entries(selector.labels ?? {});
  const environments = selector.environments;
  return (resource, environment) => {
    if (!kinds.has(resource.kind)) return false;
    if (names && !names(resource.name)) return false;
    if (environments && (environment === undefined || !environments.includes(environment))) return false;
    const own = resource.value.metadata?.labels ?? {};
    return labels.every(([k, v]) => own[k] === v);
  };
}
