import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSources } from '../compiler/load/load-project.ts';
import { compileSources } from '../pipeline/compile.ts';
import { generateDocuments, generateRepo, kindCounts } from './generate.ts';
import { checkDocument, compileValidators } from './lib/validators.ts';

const validators = compileValidators({ allErrors: true });

function docsOf(files: { path: string; text: string }[]): Record<string, unknown>[] {
  return files.flatMap((f) => parseAllDocuments(f.text).map((d) => d.toJS() as Record<string, unknown>));
}

describe('bench/generate', () => {
  for (const layout of ['single', 'multi'] as const) {
    it(`writes ${layout}-document files that every kind's schema accepts`, () => {
      const files = generateRepo({ resources: 300, seed: 7, layout });
      const docs = docsOf(files);
      expect(docs).toHaveLength(300);
      const errors = docs.map((d) => checkDocument(validators, d)).filter(Boolean);
      expect(errors).toEqual([]);
    });
  }

  it('loads without a single diagnostic through the real loader (no duplicates, aliases or bad keys)', () => {
    const { resources, diagnostics } = loadSources(generateRepo({ resources: 300, seed: 3, layout: 'multi' }));
    expect(diagnostics).toEqual([]);
    expect(resources).toHaveLength(300);
  });

  it('validates clean in prod: the compiler benchmark measures a repo without findings', () => {
    const { diagnostics } = compileSources(generateRepo({ resources: 400, seed: 2, layout: 'single' }), { env: 'prod' });
    expect(diagnostics.map((d) => `${d.severity} ${d.ruleId} ${d.file}: ${d.message}`)).toEqual([]);
  });

  it('holds exactly N resources in the documented shares, with one gateway and three environments', () => {
    const counts = kindCounts(10000);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(10000);
    expect(counts).toMatchObject({ Gateway: 1, Guardrail: 1, Environment: 3, Policy: 20, Provider: 200 });
    const kinds = generateDocuments({ resources: 1000, seed: 1, layout: 'single' }).map((d) => d.kind);
    expect(kinds.filter((k) => k === 'Environment')).toHaveLength(3);
    expect(new Set(kinds)).toEqual(
      new Set(['Gateway', 'Guardrail', 'Provider', 'Route', 'Prompt', 'Consumer', 'AccessPolicy', 'Policy', 'Environment']),
    );
  });

  it('is deterministic: the same seed gives the same bytes, another seed other bytes', () => {
    const a = generateRepo({ resources: 200, seed: 11, layout: 'single' });
    expect(generateRepo({ resources: 200, seed: 11, layout: 'single' })).toEqual(a);
    expect(generateRepo({ resources: 200, seed: 12, layout: 'single' })).not.toEqual(a);
  });

  it('puts at most ten documents in a multi-document file and the same documents in both layouts', () => {
    const multi = generateRepo({ resources: 500, seed: 5, layout: 'multi' });
    expect(Math.max(...multi.map((f) => parseAllDocuments(f.text).length))).toBeLessThanOrEqual(10);
    expect(multi.length).toBeLessThan(500 / 4); // partly filled files per team and kind; ≈ 10 per file at 10,000
    const ids = (files: { path: string; text: string }[]) =>
      docsOf(files)
        .map((d) => `${d.kind}/${(d.metadata as { name: string }).name}`)
        .sort();
    expect(ids(multi)).toEqual(ids(generateRepo({ resources: 500, seed: 5, layout: 'single' })));
  });

  it('only references resources that exist, and every route falls back to another provider', () => {
    const docs = generateDocuments({ resources: 600, seed: 9, layout: 'single' });
    const models = new Set<string>();
    const names = new Map<string, Set<string>>();
    for (const d of docs) {
      names.set(d.kind, (names.get(d.kind) ?? new Set()).add(d.metadata.name));
      if (d.kind === 'Provider') for (const m of d.spec.models) models.add(`${d.metadata.name}/${m.name}`);
    }
    const has = (kind: string, name: string) => names.get(kind)?.has(name) ?? false;
    for (const d of docs) {
      if (d.kind === 'Route') {
        for (const t of [...d.spec.targets, ...(d.spec.fallbacks ?? [])]) expect(models).toContain(`${t.provider}/${t.model}`);
        const targetProviders = new Set(d.spec.targets.map((t) => t.provider));
        expect(d.spec.fallbacks?.some((f) => !targetProviders.has(f.provider))).toBe(true);
        expect(d.spec.targets.reduce((sum, t) => sum + (t.weight ?? 100), 0)).toBe(100);
      }
      if (d.kind === 'Prompt') expect(has('Route', d.spec.route)).toBe(true);
      if (d.kind === 'AccessPolicy') {
        for (const c of d.spec.subjects.consumers ?? []) expect(has('Consumer', c)).toBe(true);
        for (const r of d.spec.routes ?? []) expect(has('Route', r)).toBe(true);
        for (const p of d.spec.prompts ?? []) expect(has('Prompt', p)).toBe(true);
      }
      if (d.kind === 'Environment') for (const p of d.spec.patches ?? []) expect(has(p.target.kind, p.target.name)).toBe(true);
    }
  });

  it('refuses a size too small to hold every kind', () => {
    expect(() => kindCounts(10)).toThrow(RangeError);
  });
});
