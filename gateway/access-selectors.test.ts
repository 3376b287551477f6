// config.json keeps access policies' label selectors and `*` grants; the gateway resolves them when it loads.
// Differential test: for generated repos with random subjects and grants, what the loaded gateway answers equals
// what it answered when the compiler listed every selected consumer and every route and prompt `*` stands for (the
// expansions below are the ones build.ts used to write).
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateDocuments } from '../bench/generate.ts';
import type { IR, IRAccessPolicy } from '../compiler/ir/types.ts';
import { grantedNames } from '../kernel/grants.ts';
import { consumersOf } from '../kernel/subjects.ts';
import { compileSources } from '../pipeline/compile.ts';
import type * as T from '../schema/types.ts';
import { createAccessControl } from './access.ts';
import { parseConfig } from './config.ts';

/** What the compiler wrote before selectors stayed selectors: named consumers plus every label match, sorted. */
function oldExpansion(ir: IR, policy: IRAccessPolicy): string[] {
  const selector = Object.entries(policy.subjects.labels ?? {});
  const matched = selector.length ? ir.consumers.filter((c) => selector.every(([k, v]) => c.labels[k] === v)).map((c) => c.name) : [];
  return [...new Set([...policy.subjects.consumers, ...matched])].sort();
}

/** What the compiler wrote for a policy's `spec.routes` or `spec.prompts` before `*` stayed `*`. */
function oldGrants(written: readonly string[] | undefined, all: readonly { name: string }[]): string[] {
  return (written ?? []).includes('*') ? all.map((x) => x.name) : [...new Set(written ?? [])].sort();
}

/** The old gateway's tables, from the old expansions: policies per consumer by name, the first grant by name. */
function oldLookups({ ir, specs }: Compiled) {
  const policies = [...ir.accessPolicies].sort((a, b) => (a.name < b.name ? -1 : 1));
  const byConsumer = new Map<string, IRAccessPolicy[]>();
  for (const p of policies) for (const c of oldExpansion(ir, p)) byConsumer.set(c, [...(byConsumer.get(c) ?? []), p]);
  const routes = (p: IRAccessPolicy) => oldGrants(specs.get(p.name)!.routes, ir.routes);
  const prompts = (p: IRAccessPolicy) => oldGrants(specs.get(p.name)!.prompts, ir.prompts);
  const first = (c: string, grants: (p: IRAccessPolicy) => string[], name: string) =>
    byConsumer.get(c)?.find((p) => grants(p).includes(name))?.name;
  return { byConsumer, first, routes, prompts };
}

interface Edit {
  policy: number;
  how: 'tier' | 'named-and-labels' | 'nobody' | 'empty-labels' | 'other-team' | 'every-route' | 'every-prompt';
  pick: number;
}

interface Compiled {
  ir: IR;
  /** Each policy's spec as written. */
  specs: ReadonlyMap<string, T.AccessPolicy['spec']>;
}

/**
 * A generated repo with some policies' subjects rewritten (two-label selectors, names plus labels, empty picks) or
 * granting `*` (alone or beside names).
 */
function compiledRepo(seed: number, edits: readonly Edit[]): Compiled {
  const docs = generateDocuments({ resources: 150, seed, layout: 'single' });
  const consumers = docs.filter((d): d is T.Consumer => d.kind === 'Consumer');
  const policies = docs.filter((d): d is T.AccessPolicy => d.kind === 'AccessPolicy');
  for (const e of edits) {
    const spec = policies[e.policy % policies.length]!.spec;
    if (e.how === 'every-route' || e.how === 'every-prompt') {
      const key = e.how === 'every-route' ? 'routes' : 'prompts';
      spec[key] = e.pick % 2 ? ['*'] : [...(spec[key] ?? []), '*'];
      continue;
    }
    const other = consumers[e.pick % consumers.length]!;
    const team = spec.subjects.labels?.team ?? other.metadata.labels!.team!;
    spec.subjects =
      e.how === 'tier'
        ? { labels: { team, tier: other.metadata.labels!.tier! } }
        : e.how === 'named-and-labels'
          ? { consumers: [other.metadata.name], labels: { team } }
          : e.how === 'nobody'
            ? { labels: { team: 'nobody-has-this' } }
            : e.how === 'empty-labels'
              ? { consumers: [other.metadata.name], labels: {} }
              : { labels: { owner: other.metadata.labels!.owner! } };
  }
  const files = docs.map((d, i) => ({ path: `doc-${i}.yaml`, text: stringify(d) }));
  const { ir, diagnostics } = compileSources(files, { env: 'dev' });
  if (!ir) throw new Error(diagnostics.map((d) => `${d.ruleId}: ${d.message}`).join('\n'));
  // Through config.json, as the gateway reads it.
  return { ir: parseConfig(JSON.stringify(ir), 'config.json'), specs: new Map(policies.map((p) => [p.metadata.name, p.spec])) };
}

const edit = fc.record({
  policy: fc.nat(),
  how: fc.constantFrom<Edit['how']>('tier', 'named-and-labels', 'nobody', 'empty-labels', 'other-team', 'every-route', 'every-prompt'),
  pick: fc.nat(),
});

describe('label selectors resolved at load', () => {
  it('config.json keeps selectors, and consumersOf resolves them as the compiler used to', () => {
    const { ir } = compiledRepo(11, []);
    const selecting = ir.accessPolicies.filter((p) => p.subjects.labels);
    expect(selecting.length).toBeGreaterThan(0);
    const resolve = consumersOf(ir);
    for (const p of ir.accessPolicies) expect(resolve(p)).toEqual(oldExpansion(ir, p));
    // The selector is written once, not its matches.
    expect(selecting.every((p) => p.subjects.consumers.length === 0)).toBe(true);
  }, 60_000);

  it('gives every consumer the same policies, routes and prompts as the expanded config did (selectors and `*` grants)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(edit, { maxLength: 8 }), (seed, edits) => {
        const compiled = compiledRepo(seed, edits);
        const { ir } = compiled;
        const access = createAccessControl(ir);
        const old = oldLookups(compiled);
        const routes = ir.routes.map((r) => r.name);
        const prompts = ir.prompts.map((p) => p.name);
        for (const p of ir.accessPolicies) {
          // `*` is written once, and the one resolver gives what the compiler used to write.
          const every = (written?: string[]) => (written ?? []).includes('*');
          const spec = compiled.specs.get(p.name)!;
          expect(p.routes.includes('*')).toBe(every(spec.routes));
          expect(p.prompts.includes('*')).toBe(every(spec.prompts));
          expect(grantedNames(p.routes, ir.routes)).toEqual(old.routes(p));
          expect(grantedNames(p.prompts, ir.prompts)).toEqual(old.prompts(p));
        }
        for (const c of [...ir.consumers.map((x) => x.name), 'not-a-consumer']) {
          const policies = old.byConsumer.get(c) ?? [];
          expect(access.policiesFor(c).map((p) => p.name)).toEqual(policies.map((p) => p.name));
          for (const r of [...routes, 'not-a-route']) expect(access.authorizeRoute(c, r)?.name).toBe(old.first(c, old.routes, r));
          for (const q of [...prompts, 'not-a-prompt']) expect(access.authorizePrompt(c, q)?.name).toBe(old.first(c, old.prompts, q));
          expect(access.visibleRoutes(c)).toEqual(routes.filter((r) => old.first(c, old.routes, r)).sort());
        }
      }),
      { numRuns: 10 },
    );
    // Each run compiles a repo: seconds on a loaded machine.
  }, 120_000);
});
