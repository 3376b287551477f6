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
  /**
   * Work that several targets of one run need (k8s mounts the node and envoy targets' files), done once: the first
   * caller of `key` builds it, later callers get the same value. Values are read, never changed.
   */
  shared?: <T>(key: string, build: () => T) => T;
  /** Text rendered in earlier builds, so that a build after a small change renders only the pieces it touches. */
  pieces?: PieceCache;
}

/**
 * Rendered text by what it was rendered from. `render` must depend on nothing but `input` (plain data, as a structured
 * clone copies it) and the code of the renderer `kind` names: the cache may hand back the text of an equal input.
 */
export interface PieceCache {
  text(kind: string, input: unknown, render: () => string): string;
}

/** `render()`, or the text an equal `input` rendered to before when the build has a piece cache. */
export const piece = (pieces: PieceCache | undefined, kind: string, input: unknown, render: () => string): string =>
  pieces ? pieces.text(kind, input, render) : render();

/** `build()` once per run when the run shares work, else now. */
export const shared = <T>(context: BuildContext, key: string, build: () => T): T => (context.shared ? context.shared(key, build) : build());

/** The key a target's whole output is shared under. */
export const outputKey = (name: TargetName): string => `output:${name}`;

export interface Target {
  name: TargetName;
  description: string;
  build(ir: IR, context?: BuildContext): TargetOutput | Promise<TargetOutput>;
}
