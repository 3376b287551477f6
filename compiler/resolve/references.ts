// Cross-reference checks over the effective resources of one environment: every name must exist.
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import type { Reads } from '../../kernel/reads.ts';
import type { AnyResource, DocPath, Resource } from '../../kernel/resource.ts';
import { didYouMean } from '../../kernel/suggest.ts';
import { indexResources, type ResourceIndex } from './index-resources.ts';
import { checkMcpGrants } from './mcp-grants.ts';

/**
 * What a resource's reference findings read besides itself: the names it refers to, and the content of
 * providers (their models), the Gateway (JWT issuers; a second one) and MCP servers (their tool catalogues).
 */
export const REFERENCE_READS: Reads = {
  on: ['Gateway', 'Route', 'Prompt', 'AccessPolicy', 'Consumer'],
  kinds: ['Provider', 'Gateway', 'McpServer'],
  names: ['Route', 'Prompt', 'Consumer', 'Guardrail'],
};

/**
 * `targets` (by default every resource) are checked against `resources`; `alsoDeclared` (resources that failed
 * schema validation) only count as existing, so that a reference to a broken resource is not reported a second
 * time as missing.
 */
export function checkReferences(
  resources: readonly AnyResource[],
  alsoDeclared: readonly AnyResource[] = [],
  targets: readonly AnyResource[] = resources,
): Diagnostic[] {
  const index = indexResources([...alsoDeclared, ...resources]);
  const out: Diagnostic[] = [];
  const missing = (r: AnyResource, path: DocPath, what: string, name: string, candidates: Iterable<string>): void => {
    out.push({
      ruleId: 'reference',
      severity: 'error',
      message: `${what} "${name}" does not exist.${didYouMean(name, candidates)}`,
      hint: `Declare it, or refer to an existing one.`,
      resource: r.id,
      ...r.locate(path),
    });
  };
  const checkModelRef = (r: AnyResource, path: DocPath, ref: { provider?: unknown; model?: unknown }): void => {
    if (typeof ref.provider !== 'string') return;
    const provider = index.Provider.get(ref.provider);
    if (!provider) return missing(r, [...path, 'provider'], 'Provider', ref.provider, index.Provider.keys());
    if (typeof ref.model !== 'string') return;
    const declared: unknown = provider.value.spec?.models;
    const models = Array.isArray(declared) ? declared.map((m: { name?: unknown }) => String(m?.name)) : [];
    if (!models.includes(ref.model)) missing(r, [...path, 'model'], `Model of provider ${ref.provider}`, ref.model, models);
  };

  [...index.Gateway.values()].slice(1).forEach((g) =>
    out.push({
      ruleId: 'single-gateway',
      severity: 'error',
      message: `A config repo declares one Gateway; ${g.id} is a second one.`,
      hint: 'Merge the two Gateway documents into one.',
      resource: g.id,
      ...g.locate(['metadata', 'name']),
    }),
  );
  for (const r of targets) {
    switch (r.kind) {
      case 'Route': {
        const spec = r.value.spec;
        spec?.targets?.forEach((t, i) => checkModelRef(r, ['spec', 'targets', i], t));
        spec?.fallbacks?.forEach((t, i) => checkModelRef(r, ['spec', 'fallbacks', i], t));
        checkGuardrails(r, spec?.guardrails, index, missing);
        break;
      }
      case 'Prompt': {
        const spec = r.value.spec;
        if (typeof spec?.route === 'string' && !index.Route.has(spec.route))
          missing(r, ['spec', 'route'], 'Route', spec.route, index.Route.keys());
        const versions = Object.keys(spec?.versions ?? {});
        spec?.serve?.forEach((s, i) => {
          if (typeof s.version === 'string' && !versions.includes(s.version)) {
            missing(r, ['spec', 'serve', i, 'version'], 'Prompt version', s.version, versions);
          }
        });
        break;
      }
      case 'AccessPolicy':
        checkAccessPolicy(r, index, missing, checkModelRef);
        checkGuardrails(r, r.value.spec?.guardrails, index, missing);
        out.push(...checkMcpGrants(r, index, missing));
        break;
      case 'Consumer': {
        const issuer = r.value.spec?.jwt?.issuer;
        if (typeof issuer === 'string' && !index.jwtIssuers.has(issuer)) {
          missing(r, ['spec', 'jwt', 'issuer'], 'JWT issuer (Gateway spec.auth.jwt)', issuer, index.jwtIssuers);
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}

type Missing = (r: AnyResource, path: DocPath, what: string, name: string, candidates: Iterable<string>) => void;

function checkAccessPolicy(
  r: Resource<'AccessPolicy'>,
  index: ResourceIndex,
  missing: Missing,
  checkModelRef: (r: AnyResource, path: DocPath, ref: { provider?: unknown; model?: unknown }) => void,
): void {
  const spec = r.value.spec;
  spec?.subjects?.consumers?.forEach((name, i) => {
    if (!index.Consumer.has(name)) missing(r, ['spec', 'subjects', 'consumers', i], 'Consumer', name, index.Consumer.keys());
  });
  spec?.routes?.forEach((name, i) => {
    if (name !== '*' && !index.Route.has(name)) missing(r, ['spec', 'routes', i], 'Route', name, index.Route.keys());
  });
  spec?.prompts?.forEach((name, i) => {
    if (name !== '*' && !index.Prompt.has(name)) missing(r, ['spec', 'prompts', i], 'Prompt', name, index.Prompt.keys());
  });
  spec?.allowedModels?.forEach((ref, i) => {
    const slash = ref.indexOf('/');
    if (slash > 0) checkModelRef(r, ['spec', 'allowedModels', i], { provider: ref.slice(0, slash), model: ref.slice(slash + 1) });
  });
}

function checkGuardrails(r: AnyResource, names: readonly string[] | undefined, index: ResourceIndex, missing: Missing): void {
  names?.forEach((name, i) => {
    if (!index.Guardrail.has(name)) missing(r, ['spec', 'guardrails', i], 'Guardrail', name, index.Guardrail.keys());
  });
}
