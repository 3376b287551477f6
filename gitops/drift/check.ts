// The I/O edge of the drift check: builds the environment and reads the deployed directory.
import { existsSync, statSync } from 'node:fs';
import { TARGET_NAMES } from '../../targets/registry.ts';
import type { TargetName } from '../../targets/target.ts';
import { buildArtifacts } from '../../pipeline/build-artifacts.ts';
import { UsageError } from '../../kernel/errors.ts';
import { hasErrors, type Diagnostic } from '../../kernel/diagnostics.ts';
import { compileProject } from '../../pipeline/compile.ts';
import type { ArtifactSet } from '../plan/artifact-diff.ts';
import { readBuild, toArtifactSet } from '../plan/compute.ts';
import { readTree } from '../plan/read-tree.ts';
import { detectDrift, type DriftItem } from './drift.ts';

export interface DriftRequest {
  root: string;
  env: string;
  /** Laid out like `modelgate build --out` (`<target>/...`), or one target's files when `target` is set. */
  against: string;
  target?: TargetName;
  maxFileBytes?: number;
}

export interface DriftResult {
  environment: string;
  against: string;
  items: DriftItem[];
  /** Errors that keep the environment from building; there is then nothing to compare. */
  errors: Diagnostic[];
}

export async function checkDrift(request: DriftRequest): Promise<DriftResult> {
  if (!existsSync(request.against) || !statSync(request.against).isDirectory())
    throw new UsageError(`--against ${request.against} is not a directory.`);
  const deployed: ArtifactSet = request.target ? { [request.target]: readTree(request.against) } : readBuild(request.against);
  const targets = TARGET_NAMES.filter((t) => deployed[t]);
  if (targets.length === 0) {
    throw new UsageError(
      `--against ${request.against} holds no target folders (${TARGET_NAMES.join('/, ')}/). ` +
        'Lay it out like `modelgate build --out`, or say which target it holds with --target.',
    );
  }
  const result = compileProject(request.root, { env: request.env, maxFileBytes: request.maxFileBytes });
  const env = result.environments[0];
  const base = { environment: env?.environment.name ?? request.env, against: request.against };
  if (!env?.ir || hasErrors(result.diagnostics)) return { ...base, items: [], errors: result.diagnostics.filter((d) => hasErrors([d])) };
  const built = await buildArtifacts(env, targets);
  return { ...base, items: detectDrift(toArtifactSet(built.files), deployed), errors: [] };
}
