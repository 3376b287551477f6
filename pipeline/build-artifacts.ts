// Runs the chosen targets over one environment's IR and locates their findings in the source.
import { outputKey, type BuildContext, type TargetName } from '../targets/target.ts';
import { getTarget } from '../targets/registry.ts';
import type { Diagnostic, Location } from '../kernel/diagnostics.ts';
import type { EnvironmentCompilation } from './compile.ts';

export interface Artifacts {
  /** `<target>/<relative path>` -> content. */
  files: Record<string, string>;
  /** Every target's findings, located, in target order. */
  diagnostics: Diagnostic[];
  /** The same findings by the target that reported them. */
  byTarget: Partial<Record<TargetName, Diagnostic[]>>;
}

export async function buildArtifacts(env: EnvironmentCompilation, targets: readonly TargetName[]): Promise<Artifacts> {
  if (!env.ir) throw new Error(`environment ${env.environment.name} has errors; no IR to build`);
  const byId = new Map(env.resources.map((r) => [r.id, r]));
  const fallback = env.resources.find((r) => r.kind === 'Gateway') ?? env.resources[0];
  const files: Record<string, string> = {};
  const diagnostics: Diagnostic[] = [];
  const byTarget: Artifacts['byTarget'] = {};
  const context = sharedContext(targets);
  for (const name of targets) {
    const found: Diagnostic[] = (byTarget[name] = []);
    const ir = env.ir;
    const output = await context.shared(outputKey(name), () => getTarget(name).build(ir, context));
    for (const [path, content] of Object.entries(output.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
      files[`${name}/${path}`] = content;
    }
    for (const f of output.findings) {
      const resource = byId.get(f.resource) ?? fallback;
      const location: Location = resource?.locate(f.path) ?? { file: '.', line: 1, column: 1, endLine: 1, endColumn: 1 };
      found.push({
        ruleId: f.ruleId,
        severity: f.severity,
        message: `${name}: ${f.message}`,
        resource: f.resource,
        environment: env.environment.name,
        ...(f.hint ? { hint: f.hint } : {}),
        ...location,
      });
    }
    diagnostics.push(...found);
  }
  return { files, diagnostics, byTarget };
}

/** A run's context: what one target builds that another needs (k8s mounts node's and envoy's files) is built once. */
function sharedContext(targets: readonly TargetName[]): Required<BuildContext> {
  const values = new Map<string, unknown>();
  return {
    targets,
    shared<T>(key: string, build: () => T): T {
      if (!values.has(key)) values.set(key, build());
      return values.get(key) as T;
    },
  };
}
