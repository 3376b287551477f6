// Every rule a finding can name is registered with a title, help and a default severity, and SARIF describes
// it. tsc already refuses an unregistered core id wherever a finding is made (`RuleId`); this also finds
// registered ids nothing emits, checks the built-in rules, and runs the fixtures (and the targets) to see
// that every id they emit is one the run's SARIF lists.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../kernel/diagnostics.ts';
import { CORE_RULES } from '../kernel/rule-registry.ts';
import { buildArtifacts } from '../pipeline/build-artifacts.ts';
import { compileProject, type CompileResult } from '../pipeline/compile.ts';
import { BUILTIN_RULES, ruleRegistry } from '../policies/index.ts';
import { formatReport } from '../reports/formats/index.ts';
import { TARGET_NAMES } from '../targets/registry.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const LAYERS = ['schema', 'kernel', 'compiler', 'policies', 'gateway', 'targets', 'reports', 'pipeline', 'gitops', 'lsp', 'cli'];
const REGISTRY_FILE = 'kernel/rule-registry.ts';

const production = LAYERS.flatMap((layer) =>
  readdirSync(join(root, layer), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => `${layer}/${f}`),
);
const sources = new Map(production.map((file) => [file, readFileSync(join(root, file), 'utf8')]));

/** Every fixture repo, compiled with all its environments. */
const fixtureRuns: [string, CompileResult][] = [
  'fixtures/acme',
  ...readdirSync(join(root, 'fixtures/invalid'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `fixtures/invalid/${d.name}`),
].map((dir) => [dir, compileProject(join(root, dir), { env: 'all', today: '2026-06-01' })]);

const unlisted = (diagnostics: readonly Diagnostic[], result: CompileResult): string[] => {
  const sarif = JSON.parse(formatReport('sarif', diagnostics, { rules: result.rules }));
  const described = new Map<string, string>(
    sarif.runs[0].tool.driver.rules.map((r: { id: string; shortDescription: { text: string } }) => [r.id, r.shortDescription.text]),
  );
  return diagnostics
    .map((d) => d.ruleId)
    .filter((id) => !result.rules.some((r) => r.id === id) || described.get(id)!.startsWith('Finding of rule'));
};

describe('rule ids', () => {
  it("written in the code as a finding's rule are registered, and each registered core rule is emitted somewhere", () => {
    const written = [...sources.values()].flatMap((text) => [...text.matchAll(/ruleId(?:: \w+)?(?::| =) '([^']+)'/g)].map((m) => m[1]!));
    expect(written.length).toBeGreaterThan(20);
    expect(written.filter((id) => !Object.hasOwn(CORE_RULES, id))).toEqual([]);
    const unused = Object.keys(CORE_RULES).filter(
      (id) => ![...sources].some(([file, text]) => file !== REGISTRY_FILE && text.includes(`'${id}'`)),
    );
    expect(unused).toEqual([]);
  });

  it('of the built-in rules are registered with what their modules say, apart from the core ids', () => {
    const registry = ruleRegistry([]);
    for (const rule of BUILTIN_RULES) {
      expect(Object.hasOwn(CORE_RULES, rule.id), rule.id).toBe(false);
      expect(registry.find((r) => r.id === rule.id)).toEqual({
        id: rule.id,
        title: rule.description,
        help: rule.rationale,
        defaultSeverity: rule.defaultSeverity,
      });
    }
    expect(registry).toHaveLength(Object.keys(CORE_RULES).length + BUILTIN_RULES.length);
    for (const r of registry) expect([r.title.length > 0, r.help.length > 0], r.id).toEqual([true, true]);
  });

  it("of the fixtures' findings are each described in the run's SARIF", () => {
    const emitted = new Set<string>();
    for (const [dir, result] of fixtureRuns) {
      for (const d of result.diagnostics) emitted.add(d.ruleId);
      expect(unlisted(result.diagnostics, result), dir).toEqual([]);
    }
    // The fixtures reach the loader, the schemas, references and the built-in rules.
    expect([...emitted]).toEqual(
      expect.arrayContaining(['yaml-syntax', 'duplicate-key', 'schema', 'reference', 'duplicate-resource', 'required-labels']),
    );
  });

  it("of the targets' findings on acme are each described in the run's SARIF", async () => {
    const result = compileProject(join(root, 'fixtures/acme'), { env: 'prod' });
    const built = await buildArtifacts(result.environments[0]!, TARGET_NAMES);
    expect(built.diagnostics.length).toBeGreaterThan(0);
    expect(unlisted(built.diagnostics, result)).toEqual([]);
  });

  it("of a run's Policy documents are registered, with their descriptions", () => {
    const [, acme] = fixtureRuns[0]!;
    const policies = acme.resources.filter((r) => r.kind === 'Policy');
    expect(policies.length).toBeGreaterThan(0);
    for (const p of policies) expect(acme.rules.find((r) => r.id === p.name)?.title).toBe(p.value.metadata.description);
  });
});
