// The plan: what a change does to one environment, as data. Renderers and the MR comment read only this.
import type { Kind } from '../../schema/kinds.ts';
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import type { DocPath } from '../../kernel/resource.ts';

export type ChangeAction = 'add' | 'change' | 'destroy';

/** One field that differs. `reorder` means a keyed list holds the same items in another order. */
export interface FieldChange {
  op: 'add' | 'change' | 'remove' | 'reorder';
  path: DocPath;
  before?: unknown;
  after?: unknown;
}

export interface ResourceChange {
  action: ChangeAction;
  /** `kind/name`. */
  id: string;
  kind: Kind;
  name: string;
  /** Where the change is: the first changed field's file (an overlay for a patched value), or the resource's. */
  file: string;
  line?: number;
  /** Field-level changes; for an add or destroy, every leaf of the resource. */
  fields: FieldChange[];
  /**
   * What the change means, in words: MCP grants (`+ grants tool github/delete_issue to consumer x`) and prompt
   * endpoints (`+ serves POST /review`, `- BREAKING response: required field \`severity\` removed at /severity`).
   */
  effects?: string[];
}

export interface ArtifactChange {
  action: ChangeAction;
  target: string;
  /** Path under the target's output directory. */
  file: string;
  /** Unified diff (`---`/`+++`/`@@` hunks), or a one-line note when the diff is too large to show. */
  diff: string;
  added: number;
  removed: number;
}

export interface PolicyDelta {
  /** Findings of the head that the base did not have: what this change breaks. */
  introduced: Diagnostic[];
  /** Findings of the base that the head no longer has: what this change fixes. */
  fixed: Diagnostic[];
}

/** Resources added, changed, destroyed; artifact files when the base holds no config to compare. */
export interface PlanSummary {
  add: number;
  change: number;
  destroy: number;
}

export interface EnvironmentPlan {
  environment: string;
  /** What the head was compared against, as the user named it (`main`, `./build-prev`). */
  base: string;
  /** Absent when the base is a build directory: it holds artifacts, not config. */
  resources?: ResourceChange[];
  /** Absent when either side could not be built (errors in it). */
  artifacts?: ArtifactChange[];
  /** Absent when the base is a build directory: there are no base findings to compare with. */
  policy?: PolicyDelta;
  /** Errors that stop the head from building in this environment. */
  errors: Diagnostic[];
  summary: PlanSummary;
  /** Mermaid flowchart of the changed part of who-reaches-what, when both sides compiled and it changed. */
  graph?: string;
  /** Who must approve the change in this environment: owning teams, and owners of the rules exceptions waive. */
  approvals?: { teams: Requirement[]; waivers: Waiver[] };
  /** The head's artifacts as saved by `plan --save`, named by their manifest's hash. */
  saved?: { manifest: string; files: number };
}

export interface Plan {
  environments: EnvironmentPlan[];
  /** The head's artifacts per environment (`<target>/<path>` -> content), when asked for; not rendered. */
  built?: Record<string, Record<string, string>>;
}

// Who must approve a change (gitops/owners/required.ts computes them).

/** `metadata.labels.team` and `metadata.labels.owner`; at least one is set. */
export interface Owners {
  team?: string;
  owner?: string;
}

export interface OwedResource {
  id: string;
  /** `changed`, `added`, `destroyed`, or `newly reached by AccessPolicy/<name>`. */
  why: string;
}

export interface Requirement {
  team: string;
  /** The `owner` labels of the team's resources on either side: the people who count for it without a group. */
  members: string[];
  resources: OwedResource[];
}

/** A waiver the change adds or edits: one of the waived rule's owners (among `approvers`, when set) must approve. */
export interface Waiver {
  id: string;
  rule: string;
  /** The Policy whose owners approve, or the Gateway's for a built-in rule. */
  ownedBy: string;
  owners: Owners[];
  approvers?: string[];
}
