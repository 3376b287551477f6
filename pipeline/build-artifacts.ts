// Runs the chosen targets over one environment's IR and locates their findings in the source.
import type { TargetFinding, TargetName, TargetOutput } from '../targets/target.ts';
import { outputKey } from '../targets/target.ts';
import { getTarget } from '../targets/registry.ts';
import type { Diagnostic, Location } from '../kernel/diagnostics.ts';
import type { EnvironmentCompilation } from './compile.ts';
import type { PlaceStore } from './finding-places.ts';
import { FOLLOWUPS, sharedContext, startTargetWorker, type ThreadOptions } from './target-threads.ts';

export interface Artifacts {
  /** `<target>/<relative path>` -> content. */
  files: Record<string, string>;
  /** Every target's findings, located, in target order. */
  diagnostics: Diagnostic[];
  /** The same findings by the target that reported them. */
  byTarget: Partial<Record<TargetName, Diagnostic[]>>;
}

export interface BuildOptions extends ThreadOptions {
  /** Places of findings located before, by content key: used (and added to) when the compile keys its resources. */
  places?: PlaceStore;
}

/** The same artifacts however many threads build them (`options`: see target-threads.ts). */
export async function buildArtifacts(
  env: EnvironmentCompilation,
  targets: readonly TargetName[],
  options: BuildOptions = {},
): Promise<Artifacts> {
  const ir = env.ir;
  if (!ir) throw new Error(`environment ${env.environment.name} has errors; no IR to build`);
  const context = sharedContext(targets, options.pieces);
  const locateFindings = findingLocator(env, options.places);
  const worker = startTargetWorker(ir, targets, options);
  let built: { output: TargetOutput; found: Diagnostic[] }[];
  try {
    // Registered first, so that a target here that needs one (k8s needs envoy's files) waits for the worker's.
    for (const [name, output] of worker?.outputs ?? []) {
      context.shared(outputKey(name), () =>
        output.catch((error: Error) => {
          options.onFallback?.(`${name}: ${error.message}`);
          return getTarget(name).build(ir, context);
        }),
      );
    }
    // A followup the worker failed on is done here on the output of its target (the worker's or this thread's).
    for (const followup of FOLLOWUPS) {
      const result = worker?.followups.get(followup.key);
      if (!result) continue;
      context.shared(followup.key, () =>
        result.catch(async () =>
          followup.build(ir, await context.shared(outputKey(followup.after), () => getTarget(followup.after).build(ir, context))),
        ),
      );
    }
    // Each target starts in turn and runs until it waits for another's output; its findings are located as soon as
    // it is done (while this thread waits for the worker's), and all are collected in target order.
    built = await Promise.all(
      targets.map(async (name) => {
        const output = await context.shared(outputKey(name), async () => getTarget(name).build(ir, context));
        return { output, found: locateFindings(name, output.findings) };
      }),
    );
  } finally {
    worker?.stop();
  }
  const files: Record<string, string> = {};
  const diagnostics: Diagnostic[] = [];
  const byTarget: Artifacts['byTarget'] = {};
  targets.forEach((name, i) => {
    const { output, found } = built[i]!;
    for (const [path, content] of Object.entries(output.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
      files[`${name}/${path}`] = content;
    }
    byTarget[name] = found;
    diagnostics.push(...found);
  });
  return { files, diagnostics, byTarget };
}

/** A target's findings as diagnostics at their place in the source. */
function findingLocator(
  env: EnvironmentCompilation,
  places: PlaceStore | undefined,
): (target: TargetName, findings: readonly TargetFinding[]) => Diagnostic[] {
  const byId = new Map(env.resources.map((r) => [r.id, r]));
  const fallback = env.resources.find((r) => r.kind === 'Gateway') ?? env.resources[0];
  const keyOf = places && env.contentKey;
  // Tens of thousands of findings at 10,000 resources, many on the same field from several targets: each place once.
  const located = new Map<string, Location>();
  const locate = (f: TargetFinding): Location => {
    const path = JSON.stringify(f.path);
    const key = `${f.resource}\n${path}`;
    let location = located.get(key);
    if (!location) {
      const resource = byId.get(f.resource) ?? fallback;
      const contentKey = resource && keyOf?.(resource);
      location = contentKey === undefined ? undefined : places!.get(contentKey, path);
      if (!location) {
        location = resource?.locate(f.path) ?? { file: '.', line: 1, column: 1, endLine: 1, endColumn: 1 };
        if (contentKey !== undefined) places!.set(contentKey, path, location);
      }
      located.set(key, location);
    }
    return location;
  };
  return (target, findings) =>
    findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: `${target}: ${f.message}`,
      resource: f.resource,
      environment: env.environment.name,
      ...(f.hint ? { hint: f.hint } : {}),
      ...locate(f),
    }));
}
