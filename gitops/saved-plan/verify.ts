// Deploy checks a saved plan twice before anything is applied: the files are those its manifest names (nothing
// edited, added or removed since it was saved), and the manifest is what a fresh build of the commit being
// deployed writes (the plan was made from this commit, not another). Optionally the manifest is also the one
// a reviewer saw (`--expect`, the hash in the merge request note).
import { hasErrors } from '../../kernel/diagnostics.ts';
import { UsageError } from '../../kernel/errors.ts';
import { buildArtifacts } from '../../pipeline/build-artifacts.ts';
import { compileProject } from '../../pipeline/compile.ts';
import { TARGET_NAMES } from '../../targets/registry.ts';
import type { TargetName } from '../../targets/target.ts';
import { manifestOf, readSavedPlan, sha256 } from './manifest.ts';

export interface Difference {
  file: string;
  problem: 'changed' | 'missing' | 'unexpected';
}

export interface Verification {
  environment: string;
  /** `sha256:<hex>` of the saved manifest. */
  manifest: string;
  files: number;
  /** The saved files against their manifest: `missing` listed but absent, `unexpected` present but not listed. */
  tampered: Difference[];
  /** The manifest against a fresh build: `missing` the build does not write it, `unexpected` it writes more. */
  rebuilt: Difference[];
  /** Set when `expect` was given and the manifest is another. */
  notExpected?: string;
}

export interface VerifyRequest {
  dir: string;
  /** The config root of the commit being deployed. */
  root: string;
  /** `sha256:<hex>` the manifest must have, such as the one the merge request note showed. */
  expect?: string;
  maxFileBytes?: number;
}

export async function verifySavedPlan(request: VerifyRequest): Promise<Verification> {
  const saved = readSavedPlan(request.dir);
  const { environment, files } = saved.manifest;
  const onDisk = Object.fromEntries(Object.entries(saved.files).map(([path, bytes]) => [path, sha256(bytes)]));
  const targets = [...new Set(Object.keys(files).map((path) => path.split('/')[0]!))];
  const unknown = targets.filter((t) => !(TARGET_NAMES as readonly string[]).includes(t));
  if (unknown.length > 0) throw new UsageError(`${request.dir}: the manifest lists files of no target (${unknown.join(', ')}).`);

  const compiled = compileProject(request.root, { env: environment, maxFileBytes: request.maxFileBytes });
  const env = compiled.environments[0];
  if (hasErrors(compiled.diagnostics) || !env?.ir)
    throw new UsageError(
      `${request.root} does not compile for ${environment} at this commit: run modelgate validate --env ${environment}.`,
    );
  const built = await buildArtifacts(env, targets as TargetName[]);
  return {
    environment,
    manifest: saved.hash,
    files: Object.keys(files).length,
    tampered: compare(files, onDisk),
    rebuilt: compare(files, manifestOf(environment, built.files).files),
    ...(request.expect && request.expect !== saved.hash ? { notExpected: request.expect } : {}),
  };
}

export function isVerified(v: Verification): boolean {
  return v.tampered.length === 0 && v.rebuilt.length === 0 && !v.notExpected;
}

function compare(expected: Record<string, string>, actual: Record<string, string>): Difference[] {
  const paths = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return paths.flatMap((file): Difference[] => {
    if (!(file in actual)) return [{ file, problem: 'missing' }];
    if (!(file in expected)) return [{ file, problem: 'unexpected' }];
    return expected[file] === actual[file] ? [] : [{ file, problem: 'changed' }];
  });
}
