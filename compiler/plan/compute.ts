// The I/O edge of planning: compiles the head and the base, builds their artifacts, and hands both sides to
// the pure planner.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TARGET_NAMES } from '../../targets/registry.ts';
import type { TargetName } from '../../targets/target.ts';
import { buildArtifacts } from '../build-artifacts.ts';
import { UsageError } from '../cli/exit-codes.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { compileProject, type CompileResult, type EnvironmentCompilation } from '../pipeline.ts';
import type { ArtifactSet } from './artifact-diff.ts';
import { openBase } from './base-source.ts';
import { planEnvironment, type PlanSide } from './plan.ts';
import { readTree } from './read-tree.ts';
import type { Plan } from './types.ts';

export interface PlanRequest {
  /** Config repo of the head (the working tree). */
  root: string;
  /** A git revision of the repo `root` is in, a config directory, or a build directory. */
  base: string;
  /** An environment name or `all`. */
  env: string;
  maxFileBytes?: number;
}

export async function computePlan(request: PlanRequest): Promise<Plan> {
  const head = compileProject(request.root, { env: request.env, maxFileBytes: request.maxFileBytes });
  const base = openBase(request.base, request.root, TARGET_NAMES);
  try {
    if (base.kind === 'build' && head.environments.length !== 1) {
      throw new UsageError(`--base ${request.base} is a build directory, which holds one environment: choose it with --env.`);
    }
    // A build directory may hold some targets only: the head builds the same ones.
    const built = base.kind === 'build' ? readBuild(base.root) : undefined;
    const targets = built ? TARGET_NAMES.filter((t) => built[t]) : TARGET_NAMES;
    const before = built ? undefined : compileProject(base.root, { env: 'all', maxFileBytes: request.maxFileBytes });
    const environments = [];
    for (const env of head.environments) {
      const after = await sideOf(head, env, targets);
      const side = before ? await configSide(before, env.environment.name) : { artifacts: built };
      environments.push(planEnvironment(env.environment.name, base.label, side, after));
    }
    return { environments };
  } finally {
    base.dispose();
  }
}

/** What one environment compiles to: effective resources, findings (the target's too), artifacts. */
export async function sideOf(result: CompileResult, env: EnvironmentCompilation, targets: readonly TargetName[]): Promise<PlanSide> {
  const diagnostics: Diagnostic[] = result.diagnostics.filter((d) => !d.environment || d.environment === env.environment.name);
  if (!env.ir) return { resources: env.resources, diagnostics };
  const built = await buildArtifacts(env, targets);
  return { resources: env.resources, diagnostics, targetDiagnostics: built.diagnostics, artifacts: toArtifactSet(built.files), ir: env.ir };
}

/** An environment the base does not declare yet plans as all-new. */
async function configSide(result: CompileResult, name: string): Promise<PlanSide> {
  const env = result.environments.find((e) => e.environment.name === name);
  return env ? sideOf(result, env, TARGET_NAMES) : { resources: [], diagnostics: [], artifacts: {} };
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

/** `<target>/<path>` keys -> target -> path -> content. */
export function toArtifactSet(files: Record<string, string>): ArtifactSet {
  const set: ArtifactSet = {};
  for (const [key, content] of Object.entries(files)) {
    const slash = key.indexOf('/');
    (set[key.slice(0, slash)] ??= {})[key.slice(slash + 1)] = content;
  }
  return set;
}
