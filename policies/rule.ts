// The shape of a built-in lint rule (ESLint-style: one module per rule) and what its check receives.
import type { EnvironmentInfo } from '../compiler/environments/apply.ts';
import type { Severity } from '../kernel/diagnostics.ts';
import type { Reads } from '../kernel/reads.ts';
import type { AnyResource, DocPath, Resource } from '../kernel/resource.ts';
import type { Kind } from '../schema/kinds.ts';

export type Tier = EnvironmentInfo['tier'];

/** One violation: the resource and the node inside it that fails. The engine adds rule id, severity, location. */
export interface Finding {
  resource: AnyResource;
  path: DocPath;
  message: string;
  hint?: string;
}

/** Read-only view of one environment's effective resources, with indexes shared by every rule of a run. */
export interface RuleContext {
  readonly environment: EnvironmentInfo;
  readonly resources: readonly AnyResource[];
  /** Resources of one kind, in input order. */
  byKind<K extends Kind>(kind: K): readonly Resource<K>[];
  /** The resource `kind/name`, if it exists (references may dangle: the resolver reports those). */
  byId<K extends Kind>(kind: K, name: string): Resource<K> | undefined;
  /** A derived index, built by `build` on first use and shared for the rest of the run. */
  memo<T>(build: (ctx: RuleContext) => T): T;
}

export interface Rule {
  /** Kebab-case id used in config, exceptions and reports. */
  id: string;
  /** One line: what the rule requires. */
  description: string;
  /** Why a platform team wants it. */
  rationale: string;
  defaultSeverity: Severity;
  /** Tiers in which the rule runs; every tier when omitted. */
  tiers?: readonly Tier[];
  /** Further guidance in Markdown (how to fix), shown in the generated rule reference. */
  docs?: string;
  /**
   * What a finding on a resource reads besides that resource (`READS_ITSELF` when nothing): the language server
   * re-checks only the edited resources unless something listed here changed. The rule tester
   * (test/support/rule-tester.ts) checks every declaration against the rule's findings on each of its cases.
   */
  reads: Reads;
  /**
   * Set on a rule whose finding says that no resource of these kinds refers to the one it reports: such a
   * resource left out of the rules for its own (schema) errors may be the one that does, so a finding on a name
   * it mentions waits until it is fixed rather than telling the author to delete something in use.
   */
  referredToBy?: readonly Kind[];
  /** Pure and linear in the number of resources: use `ctx.memo` indexes, never a scan per resource. */
  check(ctx: RuleContext): Iterable<Finding>;
}
