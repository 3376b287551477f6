// What a check (a lint rule, the reference check, Policy documents) reads besides the resource it reports on:
// the dependency declaration an incremental compile uses to re-check only what an edit can change.
import type { Kind } from '../schema/kinds.ts';
import type { Diagnostic } from './diagnostics.ts';
import type { AnyResource, Resource } from './resource.ts';

/**
 * A finding on a resource depends on that resource, the environment and the resources these name; nothing else.
 * The incremental engine (pipeline/incremental-checks.ts) re-checks every resource when one it reads changes,
 * and only the changed resources otherwise.
 */
export interface Reads {
  /** The kinds it reports findings on (every kind when omitted): an edit of other kinds alone does not re-run it. */
  on?: readonly Kind[];
  /** Kinds whose resources' content the check reads (`all`: every resource, e.g. to compare them all). */
  kinds: readonly Kind[] | 'all';
  /** Kinds whose names alone it reads (references): adding, removing or renaming one re-checks every resource. */
  names?: readonly Kind[];
  /**
   * Kinds of which it reads a part only, given as the function that returns that part (with the places the
   * findings quote): a change elsewhere in such a resource re-checks only that resource.
   */
  parts?: { readonly [K in Kind]?: (resource: Resource<K>) => unknown };
}

/** A check whose finding on a resource depends on that resource alone. */
export const READS_ITSELF: Reads = { kinds: [] };

/** A check as the incremental engine runs it: over every resource, or over the changed ones and what they read. */
export interface IncrementalCheck {
  /** Unique among the checks of a round. */
  id: string;
  reads: Reads;
  /**
   * What its findings depend on besides the resources (its rule level; the environment, for a check that reads
   * it): findings computed under another key are not reused. None when omitted.
   */
  key?: string;
  /** The findings over `scope`, each naming its resource; those on resources not re-checked are dropped. */
  run(scope: readonly AnyResource[]): Diagnostic[];
}
