// Derived indexes that several rules need, each built in one pass and shared through `ctx.memo`.
import type { DocPath, Resource } from '../kernel/resource.ts';
import { analyzeTemplate, type TemplateAnalysis } from './handlebars-template.ts';
import type { RuleContext } from './rule.ts';

type AccessPolicy = Resource<'AccessPolicy'>;

/** Names of the Providers some Route targets or falls back to. */
export function referencedProviders(ctx: RuleContext): ReadonlySet<string> {
  const names = new Set<string>();
  for (const route of ctx.byKind('Route')) for (const name of providersOf(route)) names.add(name);
  return names;
}

/** The providers a route targets or falls back to: all `referencedProviders` reads of it. */
export function providersOf(route: Resource<'Route'>): string[] {
  return [...(route.value.spec.targets ?? []), ...(route.value.spec.fallbacks ?? [])].map((ref) => ref.provider);
}

/** Prompt names some AccessPolicy grants, and whether one grants them all (`*`). */
export function promptGrants(ctx: RuleContext): { names: ReadonlySet<string>; all: boolean } {
  const names = new Set<string>();
  for (const policy of ctx.byKind('AccessPolicy')) for (const p of policy.value.spec.prompts ?? []) names.add(p);
  return { names, all: names.has('*') };
}

/**
 * The AccessPolicies that apply to each Consumer: by name, or because its labels include all of a policy's
 * subject labels. Label selectors are indexed by their first pair, so each consumer is compared only with
 * the selectors that could match it, not with every policy.
 */
export function accessPoliciesByConsumer(ctx: RuleContext): ReadonlyMap<string, readonly AccessPolicy[]> {
  const byName = new Map<string, Set<AccessPolicy>>();
  const add = (consumer: string, policy: AccessPolicy): void => {
    const set = byName.get(consumer) ?? new Set();
    set.add(policy);
    byName.set(consumer, set);
  };
  const selectors = new Map<string, { pairs: [string, string][]; policies: AccessPolicy[] }[]>();
  for (const policy of ctx.byKind('AccessPolicy')) {
    const subjects = policy.value.spec.subjects ?? {};
    for (const name of subjects.consumers ?? []) add(name, policy);
    // Empty labels select nobody, as in the IR: a policy never applies to every consumer by accident.
    const pairs = Object.entries(subjects.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (pairs.length === 0) continue;
    const first = pairKey(pairs[0]!);
    const bucket = selectors.get(first) ?? [];
    const same = bucket.find(
      (s) => pairs.length === s.pairs.length && pairs.every(([k, v], i) => s.pairs[i]![0] === k && s.pairs[i]![1] === v),
    );
    if (same) same.policies.push(policy);
    else bucket.push({ pairs, policies: [policy] });
    selectors.set(first, bucket);
  }
  for (const consumer of ctx.byKind('Consumer')) {
    const labels = consumer.value.metadata.labels ?? {};
    for (const pair of Object.entries(labels)) {
      for (const s of selectors.get(pairKey(pair)) ?? []) {
        if (s.pairs.every(([k, v]) => labels[k] === v)) for (const policy of s.policies) add(consumer.name, policy);
      }
    }
  }
  return new Map([...byName].map(([name, set]) => [name, [...set]]));
}

function pairKey([k, v]: [string, string]): string {
  return `${k}\u0000${v}`;
}

export interface PromptMessageTemplate {
  version: string;
  /** Path of the message's `content` inside the Prompt. */
  path: DocPath;
  analysis: TemplateAnalysis;
}

/** Every message template of every Prompt, parsed once. */
export function promptTemplates(ctx: RuleContext): ReadonlyMap<Resource<'Prompt'>, readonly PromptMessageTemplate[]> {
  const out = new Map<Resource<'Prompt'>, PromptMessageTemplate[]>();
  for (const prompt of ctx.byKind('Prompt')) {
    const templates: PromptMessageTemplate[] = [];
    for (const [version, v] of Object.entries(prompt.value.spec.versions ?? {})) {
      (v.messages ?? []).forEach((m, i) => {
        if (typeof m.content !== 'string') return;
        templates.push({ version, path: ['spec', 'versions', version, 'messages', i, 'content'], analysis: analyzeTemplate(m.content) });
      });
    }
    out.set(prompt, templates);
  }
  return out;
}
