// The I/O edge of `promote`: compiles both environments, writes the pins into the destination's overlay
// text, and plans the destination before and after.
import { TARGET_NAMES } from '../../targets/registry.ts';
import { UsageError } from '../../kernel/errors.ts';
import { compileProject, compileSources } from '../../pipeline/compile.ts';
import { sideOf } from '../plan/compute.ts';
import { unifiedDiff } from '../plan/line-diff.ts';
import { planEnvironment } from '../plan/plan.ts';
import type { EnvironmentPlan } from '../plan/types.ts';
import { applyPins, OverlayEditError } from './overlay-edit.ts';
import { collectPins, type Pin } from './pins.ts';

export interface PromoteRequest {
  root: string;
  from: string;
  to: string;
  maxFileBytes?: number;
}

export interface Promotion {
  /** The destination's overlay file, relative to the root. */
  file: string;
  before: string;
  after: string;
  /** Unified diff of the overlay file; empty when there is nothing to promote. */
  diff: string;
  pins: Pin[];
  /** The destination environment after the promotion, against before it. */
  plan: EnvironmentPlan;
}

export async function promote(request: PromoteRequest): Promise<Promotion> {
  if (request.from === request.to) throw new UsageError('--from and --to name the same environment.');
  const current = compileProject(request.root, { env: 'all', maxFileBytes: request.maxFileBytes });
  const environment = (name: string) => {
    const env = current.environments.find((e) => e.environment.name === name);
    if (!env)
      throw new UsageError(
        `environment "${name}" is not declared (or is invalid). Environments: ${current.environments.map((e) => e.environment.name).join(', ') || 'none'}.`,
      );
    return env;
  };
  const source = environment(request.from);
  const destination = environment(request.to);
  if (!source.ir)
    throw new UsageError(`${request.from} has errors; fix them (modelgate validate --env ${request.from}) before promoting from it.`);

  const overlay = destination.resources.find((r) => r.kind === 'Environment' && r.name === request.to)!;
  const before = current.files.find((f) => f.path === overlay.file)!.text;
  const pins = collectPins(source.resources, destination.resources);
  let after: string;
  try {
    after = applyPins(before, request.to, pins);
  } catch (error) {
    if (error instanceof OverlayEditError) throw new UsageError(`${overlay.file}: ${error.message}`);
    throw error;
  }

  const files = current.files.map((f) => (f.path === overlay.file ? { ...f, text: after } : f));
  const promoted = compileSources(files, { env: request.to });
  const plan = planEnvironment(
    request.to,
    `${request.to} before promotion`,
    await sideOf(current, destination, TARGET_NAMES),
    await sideOf(promoted, promoted.environments[0]!, TARGET_NAMES),
  );
  const diff = unifiedDiff(before, after, { from: overlay.file, to: overlay.file }).text;
  return { file: overlay.file, before, after, diff, pins, plan };
}
