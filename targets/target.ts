// What every target is: a pure function from the IR to files, plus findings about what it cannot express.
import type { Severity } from '../kernel/diagnostics.ts';
import type { CoreRuleId } from '../kernel/rule-registry.ts';
import type { DocPath } from '../kernel/resource.ts';
import type { IR } from '../compiler/ir/types.ts';

export type TargetName = 'node' | 'envoy' | 'k8s' | 'envoy-ai-gateway';

/** The core rules targets report under: what they cannot express, approximate, leave to others or refuse. */
export type TargetRuleId = Extract<CoreRuleId, `target-${string}`>;

/** A target finding; the compiler turns `resource` + `path` into file:line:col. */
export interface TargetFinding {
  ruleId: TargetRuleId;
  severity: Severity;
  message: string;
  /** `kind/name` of the resource the finding is about. */
  resource: string;
  path: DocPath;
  hint?: string;
}

export interface TargetOutput {
  /** Relative path (under `<out>/<target>/`) to file content. Deterministic: same IR, same bytes. */
  files: Record<string, string>;
  findings: TargetFinding[];
}

/** What else is built in the same run, for targets whose output depends on it (k8s deploys Envoy too). */
export interface BuildContext {
  targets?: readonly TargetName[];
}

export interface Target {
  name: TargetName;
  description: string;
  build(ir: IR, context?: BuildContext): TargetOutput | Promise<TargetOutput>;
}
