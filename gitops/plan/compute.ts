// The I/O edge of planning: compiles the head and the base, builds their artifacts, and hands both sides to
// the pure planner.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TARGET_NAMES } from '../../targets/registry.ts';
import type { TargetName } from '../../targets/target.ts';
import { buildArtifacts, type BuildOptions } from '../../pipeline/build-artifacts.ts';
import { spareTargetWorker, type SpareWorker } from '../../pipeline/target-threads.ts';
import type { PlaceStore } from '../../pipeline/finding-places.ts';
import { storedPlaces } from '../cache/place-cache.ts';
import { checkStates } from '../cache/check-states.ts';
import { parseCache } from '../cache/parse-cache.ts';
import { storedPieces } from '../cache/piece-cache.ts';
import type { PieceStore } from '../../pipeline/piece-cache.ts';
import type { CacheStore } from '../cache/store.ts';
import { UsageError } from '../../kernel/errors.ts';
import { graphFromIR } from '../../reports/graph/index.ts';
import { hasErrors, type Diagnostic } from '../../kernel/diagnostics.ts';
import type { ParseCache } from '../../compiler/load/cached-parse.ts';
import { compileProject, type CompileResult, type EnvironmentCompilation } from '../../pipeline/compile.ts';
import type { CheckStates } from '../../pipeline/incremental-checks.ts';
import type { DocPath, LocateAt } from '../../kernel/resource.ts';
import type { ArtifactSet } from './artifact-diff.ts';
import type { PlanResource } from './resource-diff.ts';
import { openBase, type BaseSource } from './base-source.ts';
import { planEnvironment, type PlanSide } from './plan.ts';
import { readTree } from './read-tree.ts';
import { loadSide, readSide, saveSide, sideKey, type SideRequest, type StoredSideEntry } from './side-cache.ts';
import type { Plan } from './types.ts';

export interface PlanRequest {
  /** Config repo of the head (the working tree). */
  root: string;
  /** A git revision of the repo `root` is in, a config directory, or a build directory. */
  base: string;
  /** An environment name or `all`. */
  env: string;
  maxFileBytes?: number;
  /** Where parse results and base sides are kept between runs; without it, only within this run. */
  cache?: CacheStore;
  /** YYYY-MM-DD against which exception expiry is judged; today when omitted. */
  today?: string;
  /** Return the head's artifacts too (`Plan.built`), for `plan --save`. */
  keepArtifacts?: boolean;
}

interface CompileContext {
  maxFileBytes?: number;
  today: string;
  /** Shared by both sides: the base and the head have most files in common. */
  parseCache: ParseCache;
  /** The check findings of earlier compiles of either side, so that a compile re-checks only what differs. */
  checkStates?: CheckStates;
  /** What the targets rendered for either side, so that a build renders only what differs. */
  pieces: PieceStore;
  /** Where either side's target findings are, so that a build locates only those on what differs. */
  places: PlaceStore;
}

export async function computePlan(request: PlanRequest): Promise<Plan> {
  const ahead: { spare?: SpareWorker } = {};
  try {
    return await planWith(request, ahead);
  } finally {
    ahead.spare?.dispose();
  }
}

async function planWith(request: PlanRequest, ahead: { spare?: SpareWorker }): Promise<Plan> {
  const parsed = parseCache(request.cache);
  const rendered = storedPieces(request.cache);
  const located = storedPlaces(request.cache);
  const context: CompileContext = {
    pieces: rendered.pieces,
    places: located.places,
    maxFileBytes: request.maxFileBytes,
    today: request.today ?? new Date().toISOString().slice(0, 10),
    parseCache: parsed,
    ...(request.cache ? { checkStates: checkStates(request.cache) } : {}),
  };
  // A worker for the head's build, started once its files are loaded (when the repo is large enough for one), so
  // that loading the targets' code overlaps the rest of the compile; the build takes it.
  const loaded = (resources: number) => {
    ahead.spare = spareTargetWorker(resources);
  };
  const head = compileProject(request.root, { ...context, env: request.env, loaded });
  const spare = ahead.spare;
  const cache = request.cache;
  const base = openBase(request.base, request.root, TARGET_NAMES);
  try {
    if (base.kind === 'build' && head.environments.length !== 1) {
      throw new UsageError(`--base ${request.base} is a build directory, which holds one environment: choose it with --env.`);
    }
    // A build directory may hold some targets only: the head builds the same ones.
    const built = base.kind === 'build' ? readBuild(base.root) : undefined;
    const targets = built ? TARGET_NAMES.filter((t) => built[t]) : TARGET_NAMES;
    const environments = [];
    const kept: NonNullable<Plan['built']> = {};
    // An environment whose files do not load at the head is not selected: it still gets a plan, of its errors,
    // so that a failed push replaces the note of the one before instead of leaving it standing.
    for (const name of unloaded(head, request.env, () => environmentNames(base, context))) {
      environments.push(planEnvironment(name, base.label, {}, { diagnostics: head.diagnostics }));
    }
    for (const env of head.environments) {
      const name = env.environment.name;
      const sideRequest: SideRequest = { base, env: name, targets, ...context };
      // The base's key and stored entry need nothing of the head: they are read while the worker builds its targets.
      const [after, stored] = await Promise.all([
        sideOf(head, env, targets, { pieces: context.pieces, places: context.places, spare }),
        built || !cache ? undefined : Promise.resolve().then(() => storedBase(sideRequest, cache)),
      ]);
      if (request.keepArtifacts && after.artifacts) kept[name] = flatten(after.artifacts);
      const before = built ? { artifacts: built } : await baseSide(sideRequest, context, request.cache, after, stored);
      environments.push(planEnvironment(name, base.label, before, after));
    }
    parsed.save();
    rendered.save();
    located.save();
    return {
      ...(request.keepArtifacts ? { built: kept } : {}),
      environments: environments.sort((a, b) => (a.environment < b.environment ? -1 : a.environment > b.environment ? 1 : 0)),
    };
  } finally {
    base.dispose();
  }
}

/** The key of a base side and what the cache holds under it. */
interface StoredBase {
  key: string;
  entry: StoredSideEntry | undefined;
}

function storedBase(request: SideRequest, store: CacheStore): StoredBase {
  const key = sideKey(request);
  return { key, entry: readSide(store, key) };
}

/**
 * One environment of a config base, from the cache when it holds it (`stored`: its key and entry, read already).
 * The base is compiled for that environment alone, however the head was, so that what is stored does not depend on
 * the request that stored it.
 */
async function baseSide(
  request: SideRequest,
  context: CompileContext,
  store: CacheStore | undefined,
  head: PlanSide,
  stored: StoredBase | undefined,
): Promise<PlanSide> {
  let compiled: { env: CompiledEnvironment | undefined } | undefined;
  const compile = () => (compiled ??= { env: compileEnvironmentOf(request.base.root, request.env, context) }).env;
  if (!store || !stored) return configSide(compile(), request.targets, context);
  const { key, entry } = stored;
  const locate = (id: string, path: DocPath, at?: LocateAt) =>
    compile()
      ?.resources.find((r) => r.id === id)
      ?.locate(path, at);
  const cached = loadSide(store, entry, { locate, head });
  if (cached) return cached;
  const side = await configSide(compile(), request.targets, context);
  // A directory that changed while it was compiled is not stored under the key of what it was before.
  if (request.base.tree !== undefined || sideKey(request) === key) saveSide(store, key, side);
  return side;
}

/** Environments asked for (`all`: those of the base) that the head, with errors, did not select. */
function unloaded(head: CompileResult, env: string, baseNames: () => string[]): string[] {
  if (!hasErrors(head.diagnostics)) return [];
  const selected = new Set(head.environments.map((e) => e.environment.name));
  if (env !== 'all') return selected.size === 0 ? [env] : [];
  return baseNames().filter((name) => !selected.has(name));
}

function environmentNames(base: BaseSource, context: CompileContext): string[] {
  if (base.kind !== 'config') return [];
  return compileProject(base.root, { ...context, env: 'all' }).environments.map((e) => e.environment.name);
}

type CompiledEnvironment = EnvironmentCompilation & { result: CompileResult };

/** The environment `name` of the config at `root`, or undefined when the config does not declare it. */
function compileEnvironmentOf(root: string, name: string, context: CompileContext): CompiledEnvironment | undefined {
  let result: CompileResult;
  try {
    result = compileProject(root, { ...context, env: name });
  } catch (error) {
    // The only usage error of a compile: the environment is not declared there (yet).
    if (error instanceof UsageError) return undefined;
    throw error;
  }
  const env = result.environments[0];
  return env && { ...env, result };
}

/** What one environment compiles to: effective resources, findings (the target's too), artifacts. */
export async function sideOf(
  result: CompileResult,
  env: EnvironmentCompilation,
  targets: readonly TargetName[],
  options: Pick<BuildOptions, 'pieces' | 'places' | 'spare'> = {},
): Promise<PlanSide> {
  const diagnostics: Diagnostic[] = result.diagnostics.filter((d) => !d.environment || d.environment === env.environment.name);
  if (!env.ir) return { resources: env.resources, diagnostics };
  const building = buildArtifacts(env, targets, options);
  // Drawn while the worker builds its targets, when this thread would wait.
  const graph = graphFromIR(env.ir);
  const built = await building;
  return {
    resources: env.resources,
    diagnostics,
    targetDiagnostics: built.diagnostics,
    artifacts: toArtifactSet(built.files),
    graph,
    ...(env.contentKey ? { contentKey: env.contentKey as (r: PlanResource) => string } : {}),
  };
}

/** An environment the base does not declare yet plans as all-new. */
async function configSide(
  env: CompiledEnvironment | undefined,
  targets: readonly TargetName[],
  { pieces, places }: CompileContext,
): Promise<PlanSide> {
  return env ? sideOf(env.result, env, targets, { pieces, places }) : { resources: [], diagnostics: [], artifacts: {} };
}

/** The artifacts of a `modelgate build` output directory: `<root>/<target>/...`. */
export function readBuild(root: string): ArtifactSet {
  const set: ArtifactSet = {};
  for (const target of TARGET_NAMES) {
    const dir = join(root, target);
    if (existsSync(dir) && statSync(dir).isDirectory()) set[target] = readTree(dir);
  }
  return set;
}

/** target -> path -> content, as `<target>/<path>` keys. */
function flatten(set: ArtifactSet): Record<string, string> {
  return Object.fromEntries(
    Object.entries(set).flatMap(([target, files]) => Object.entries(files).map(([path, content]) => [`${target}/${path}`, content])),
  );
}

/** `<target>/<path>` keys -> target -> path -> content. */
export function toArtifactSet(files: Record<string, string>): ArtifactSet {
  const set: ArtifactSet = {};
  for (const [key, content] of Object.entries(files)) {
    const slash = key.indexOf('/');
    (set[key.slice(0, slash)] ??= {})[key.slice(slash + 1)] = content;
  }
  return set;
}
