// The compile pipeline: load -> schema -> (per environment) overlay -> references -> rules + policies -> IR.
// This module and cli/ are the edge that may import every stage; the stages themselves stay pure.
import { UsageError } from '../kernel/errors.ts';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../kernel/diagnostics.ts';
import { applyEnvironment, environmentInfo, environmentsOf, type EnvironmentInfo } from '../compiler/environments/apply.ts';
import { buildIR } from '../compiler/ir/build.ts';
import type { IR } from '../compiler/ir/types.ts';
import { loadProject, loadSources, type LoadOptions, type SourceFile } from '../compiler/load/load-project.ts';
import { loadRulesConfig, policyRound, ruleRegistry, runPolicies, scanForCredentials, type RulesConfig } from '../policies/index.ts';
import { checkReferences, REFERENCE_READS } from '../compiler/resolve/references.ts';
import type { IncrementalCheck } from '../kernel/reads.ts';
import { CheckCache, type CheckStates } from './incremental-checks.ts';
import { contentKeys } from './content-keys.ts';
import type { AnyResource } from '../kernel/resource.ts';
import type { RuleInfo } from '../kernel/rule-registry.ts';
import { didYouMean } from '../kernel/suggest.ts';
import { createSchemaValidator, type ResourceValidator } from '../compiler/validate/schema-validator.ts';

export interface CompileOptions extends LoadOptions {
  /** An environment name, `all`, or undefined (= every environment, or the base when there is none). */
  env?: string;
  /** Rule settings; `compileProject` reads them from the root's modelgate.config.yaml when not given. */
  rulesConfig?: RulesConfig;
  /** YYYY-MM-DD against which exception expiry is judged; today when omitted. */
  today?: string;
  /** Schema validation of one resource; the shared validator when omitted (an editor passes one that remembers). */
  validate?: ResourceValidator;
  /** `false` leaves the IR out: the findings are the same (an editor needs only them). */
  ir?: boolean;
  /**
   * Findings kept from the caller's earlier compiles, per environment (a `new Map()` to start): references, rules
   * and policies then re-check only what changed since and what reads it (pipeline/incremental-checks.ts).
   */
  incremental?: Map<string, CheckCache>;
  /**
   * Where the findings of a compile of one environment are kept between processes (`plan`'s cache): they are
   * started from the closest state kept, and re-checked where the resources differ from it.
   */
  checkStates?: CheckStates;
  /** Told how many resources `compileProject` loaded, before the checks: a caller can start work sized by the repo. */
  loaded?: (resources: number) => void;
}

export interface EnvironmentCompilation {
  environment: EnvironmentInfo;
  /** Effective resources of the environment. */
  resources: AnyResource[];
  /** Findings of this environment only (base findings are in CompileResult.diagnostics). */
  diagnostics: Diagnostic[];
  /** Present when the environment has no errors. */
  ir?: IR;
  /**
   * What tells its resources apart by content (`content-keys.ts`), when the compile kept its checks (`checkStates`):
   * a resource with the same key elsewhere (the base of a plan) has the same value.
   */
  contentKey?: (resource: AnyResource) => string;
}

export interface CompileResult {
  files: SourceFile[];
  /** Base resources, as written. */
  resources: AnyResource[];
  environments: EnvironmentCompilation[];
  /** Every finding, deduplicated across environments, sorted. */
  diagnostics: Diagnostic[];
  /** The IR when exactly one environment was compiled without errors. */
  ir?: IR;
  /** Every rule the compilation could report under: core, built-in and its Policies (reports describe them). */
  rules: RuleInfo[];
}

let sharedValidator: ResourceValidator | undefined;
const schemaValidator = (): ResourceValidator => (sharedValidator ??= createSchemaValidator());

export function compileProject(root: string, options: CompileOptions = {}): CompileResult {
  const loaded = loadProject(root, options);
  options.loaded?.(loaded.resources.length);
  const rules = options.rulesConfig ? { config: options.rulesConfig, diagnostics: [] } : loadRulesConfig(root);
  return compileLoaded(loaded.files, loaded.resources, [...loaded.diagnostics, ...rules.diagnostics], {
    ...options,
    rulesConfig: rules.config,
  });
}

export function compileSources(files: SourceFile[], options: CompileOptions = {}): CompileResult {
  const loaded = loadSources(files);
  return compileLoaded(files, loaded.resources, loaded.diagnostics, options);
}

/** The stages after loading, for a caller that loads by itself (the language server keeps each file's result). */
export function compileLoaded(
  files: SourceFile[],
  resources: AnyResource[],
  loadDiagnostics: Diagnostic[],
  options: CompileOptions,
): CompileResult {
  const validate = options.validate ?? schemaValidator();
  const baseDiagnostics = [...loadDiagnostics];
  const valid = new Set<AnyResource>();
  for (const r of resources) {
    const found = validate(r);
    // A loop, not push(...): one hostile resource can hold more findings than a call takes arguments.
    for (const d of found) baseDiagnostics.push(d);
    if (found.length === 0) valid.add(r);
  }
  // Invalid resources stay out of later stages, which may then rely on the schema's guarantees.
  const usable = resources.filter((r) => valid.has(r));
  const invalid = resources.filter((r) => !valid.has(r));
  baseDiagnostics.push(...scanForCredentials(invalid, { name: 'base', tier: 'development' }));
  const selected = selectEnvironments(usable, resources, options.env, hasErrors(baseDiagnostics));
  // Environments share most effective resources: one engine checks the first in full and each next one only where
  // its overlays differ (an editor keeps one engine per environment across edits instead).
  const shared = !options.incremental && selected.length > 1 ? new CheckCache() : undefined;
  const environments = selected.map((env) => {
    const name = environmentInfo(env).name;
    let cache = shared ?? options.incremental?.get(name);
    if (!cache && options.incremental) options.incremental.set(name, (cache = new CheckCache()));
    return compileEnvironment(files, usable, valid, invalid, env, validate, hasErrors(baseDiagnostics), cache, options);
  });
  // The findings of an environment no longer compiled are let go.
  const names = new Set(environments.map((e) => e.environment.name));
  for (const name of options.incremental?.keys() ?? []) if (!names.has(name)) options.incremental!.delete(name);
  const diagnostics = sortDiagnostics([...baseDiagnostics, ...mergeAcrossEnvironments(environments)]);
  const ir = environments.length === 1 && !hasErrors(diagnostics) ? environments[0]!.ir : undefined;
  return { files, resources, environments, diagnostics, ir, rules: ruleRegistry(usable) };
}

function selectEnvironments(
  usable: AnyResource[],
  all: AnyResource[],
  requested: string | undefined,
  baseHasErrors: boolean,
): (AnyResource & { kind: 'Environment' })[] | [undefined] {
  const envs = environmentsOf(usable);
  if (requested === undefined || requested === 'all') return envs.length ? envs : [undefined];
  const env = envs.find((e) => e.name === requested);
  if (env) return [env];
  // Declared but invalid, or maybe declared in a file that does not load: the errors already say why.
  if (baseHasErrors || environmentsOf(all).some((e) => e.name === requested)) return [];
  const names = envs.map((e) => e.name);
  throw new UsageError(
    `environment "${requested}" is not declared.${didYouMean(requested, names)} ` +
      (names.length ? `Environments: ${names.join(', ')}.` : 'This config declares no Environment documents.'),
  );
}

function compileEnvironment(
  files: readonly SourceFile[],
  base: AnyResource[],
  baseSet: ReadonlySet<AnyResource>,
  invalid: AnyResource[],
  env: (AnyResource & { kind: 'Environment' }) | undefined,
  validate: ResourceValidator,
  baseHasErrors: boolean,
  cache: CheckCache | undefined,
  options: CompileOptions,
): EnvironmentCompilation {
  const environment = environmentInfo(env);
  const applied = applyEnvironment(base, env, new Set(invalid.map((r) => r.id)));
  const diagnostics = [...applied.diagnostics];
  const broken: AnyResource[] = [];
  // Only resources an overlay changed need validating again; those it broke leave the later stages.
  for (const r of applied.resources) {
    if (baseSet.has(r)) continue;
    const found = validate(r);
    for (const d of found) diagnostics.push(d);
    if (found.length) broken.push(r);
  }
  const checked = broken.length ? applied.resources.filter((r) => !broken.includes(r)) : applied.resources;
  const alsoDeclared = [...invalid, ...broken];
  const policyInput = { environment, resources: checked, config: options.rulesConfig, today: options.today, unchecked: alsoDeclared };
  const stored =
    !cache && options.checkStates ? persistedChecks(options.checkStates, files, baseSet, env, environment, checked, options) : undefined;
  const engine = cache ?? stored?.cache;
  if (engine) {
    const round = policyRound(policyInput);
    const references: IncrementalCheck = {
      id: 'reference',
      reads: REFERENCE_READS,
      run: (scope) => checkReferences(checked, alsoDeclared, scope),
    };
    const [found, ...policies] = engine.round(checked, alsoDeclared, [references, ...round.checks]);
    diagnostics.push(...found!, ...round.finish(policies));
    stored?.save();
  } else {
    diagnostics.push(...checkReferences(checked, alsoDeclared));
    diagnostics.push(...runPolicies(policyInput));
  }
  const tagged = env ? diagnostics.map((d) => ({ ...d, environment: environment.name })) : diagnostics;
  const withIR = !baseHasErrors && !hasErrors(tagged) && options.ir !== false;
  return {
    environment,
    resources: applied.resources,
    diagnostics: tagged,
    ...(withIR ? { ir: buildIR(applied.resources, environment) } : {}),
    ...(stored ? { contentKey: stored.identify } : {}),
  };
}

/**
 * An engine started from the kept state closest to `checked`, its resources told apart by content; `save` keeps
 * its state when the round changed it. The scope names what else the findings depend on.
 */
function persistedChecks(
  states: CheckStates,
  files: readonly SourceFile[],
  base: ReadonlySet<AnyResource>,
  env: AnyResource | undefined,
  environment: EnvironmentInfo,
  checked: readonly AnyResource[],
  options: CompileOptions,
): { cache: CheckCache; identify: (resource: AnyResource) => string; save(): void } {
  const identify = contentKeys(files, base, env);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const scope = JSON.stringify([environment, today, options.rulesConfig ?? null]);
  const cache = new CheckCache({ identify, from: states.load(scope, checked.map(identify)) });
  return {
    cache,
    identify,
    save() {
      if (cache.changedLastRound) states.save(scope, cache.snapshot());
    },
  };
}

/** A finding every environment reports is a base finding: report it once, untagged. */
function mergeAcrossEnvironments(envs: EnvironmentCompilation[]): Diagnostic[] {
  if (envs.length < 2) return envs.flatMap((e) => e.diagnostics);
  const groups = new Map<string, Diagnostic[]>();
  for (const d of envs.flatMap((e) => e.diagnostics)) {
    const key = JSON.stringify({ ...d, environment: undefined });
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return [...groups.values()].flatMap((group) => {
    if (group.length !== envs.length) return group;
    const { environment: _environment, ...untagged } = group[0]!;
    return [untagged];
  });
}
