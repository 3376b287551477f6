// buildGraph: the picture of one environment's effective config, optionally focused and collapsed.
import type { IR } from '../../compiler/ir/types.ts';
import { collapseGraph, DEFAULT_MAX_NODES } from './collapse.ts';
import { focusGraph, focusKey } from './focus.ts';
import { graphFromIR } from './from-ir.ts';
import type { Graph, Waiver } from './model.ts';

export interface GraphOptions {
  /** `kind/name`: keep only what reaches, or is reached by, this resource. */
  focus?: string;
  /** Fold groups of nodes beyond this many (default 60); Infinity keeps every node. */
  maxNodes?: number;
  /** PolicyExceptions holding in this environment; the resources they waive are marked. */
  waivers?: readonly Waiver[];
}

/** Throws FocusNotFoundError when `focus` names no node. */
export function buildGraph(ir: IR, opts: GraphOptions = {}): Graph {
  const full = graphFromIR(ir, opts.waivers);
  const focused = opts.focus === undefined ? full : focusGraph(full, focusKey(opts.focus, full));
  return collapseGraph(focused, opts.maxNodes ?? DEFAULT_MAX_NODES);
}
