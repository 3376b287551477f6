// The graph of who reaches what: plain data that the renderers (Mermaid, DOT, JSON) draw.
import type { PolicyExceptionSpec } from '../../schema/types.ts';

export type NodeKind = 'consumer' | 'policy' | 'prompt' | 'route' | 'model' | 'provider' | 'mcp-server' | 'guardrail';

/** Left-to-right order of the columns, also the order nodes are listed in. */
export const NODE_KINDS: readonly NodeKind[] = ['consumer', 'policy', 'prompt', 'route', 'model', 'provider', 'mcp-server', 'guardrail'];

/** How a node or edge changed between two configs (diff graphs only). */
export type ChangeStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface GraphNode {
  /** Stable key: the resource id (`Route/chat-default`), `Model/provider/model` for a provider model. */
  key: string;
  kind: NodeKind;
  label: string;
  /** Extra lines under the label (budget, provider type, waived rules). */
  details: string[];
  /** Team label of a consumer: consumers are drawn grouped by team. */
  team?: string;
  /** Rules waived for this resource by PolicyExceptions. */
  waivedRules?: string[];
  /** Keys of the nodes folded into this one when a large graph was collapsed. */
  members?: string[];
  status?: ChangeStatus;
}

/**
 * `grants`: consumer -> policy -> route/prompt/MCP server (label: the tools granted); `runs-on`: prompt -> route; `target` (label: weight) and
 * `fallback` (label: its position) route -> model; `hosted-by`: model -> provider; `guarded-by`: policy or route ->
 * guardrail (label: `run N`, its place in the order).
 */
export type EdgeKind = 'grants' | 'runs-on' | 'target' | 'fallback' | 'hosted-by' | 'guarded-by';

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  label?: string;
  status?: ChangeStatus;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** What was left out or folded, said in words; renderers show these on the picture. */
  notes: string[];
}

/** The part of a PolicyException the graph needs: which rule is waived for which `kind/name` globs. */
export type Waiver = Pick<PolicyExceptionSpec, 'rule' | 'resources'>;

/** Identity of an edge: two edges with the same key are the same line on the picture. */
export function edgeKey(edge: GraphEdge): string {
  return `${edge.from}\u0000${edge.to}\u0000${edge.kind}\u0000${edge.label ?? ''}`;
}

const EDGE_KINDS: readonly EdgeKind[] = ['grants', 'runs-on', 'target', 'fallback', 'hosted-by', 'guarded-by'];

/**
 * Nodes by column then key, edges by the column they leave from: the same graph always renders
 * byte-identically, and layout engines (which follow input order) draw columns left to right.
 */
export function sortGraph(graph: Graph): Graph {
  const rank = new Map(graph.nodes.map((n) => [n.key, NODE_KINDS.indexOf(n.kind)]));
  const nodes = [...graph.nodes].sort((a, b) => rank.get(a.key)! - rank.get(b.key)! || compare(a.key, b.key));
  // Sort keys worked out once per edge, not per comparison: a large config has a hundred thousand edges.
  const edges = graph.edges
    .map((edge) => ({ edge, rank: rank.get(edge.from) ?? 0, kind: EDGE_KINDS.indexOf(edge.kind), key: edgeKey(edge) }))
    .sort((a, b) => a.rank - b.rank || compare(a.edge.from, b.edge.from) || a.kind - b.kind || compare(a.key, b.key))
    .map((e) => e.edge);
  return { nodes, edges, notes: graph.notes };
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group) group.push(item);
    else groups.set(keyOf(item), [item]);
  }
  return groups;
}
