// The changed part of the graph between two configs, for the merge request plan: added nodes and edges in
// one style, removed in another, the unchanged ends of changed edges in a neutral one.
import type { IR } from '../ir/types.ts';
import { DEFAULT_MAX_NODES } from './collapse.ts';
import { graphFromIR } from './from-ir.ts';
import { edgeKey, sortGraph, type Graph, type GraphEdge, type GraphNode } from './model.ts';
import { renderMermaid } from './render-mermaid.ts';
import { nodeLines } from './style.ts';

export interface DiffGraphOptions {
  /** Beyond this many nodes the unchanged neighbours are left out, and beyond it again the picture. */
  maxNodes?: number;
}

/**
 * Mermaid source (without the ```mermaid fence) of what changed between the two configs' graphs, or null
 * when nothing a picture would show changed.
 */
export function diffGraph(baseIr: IR, headIr: IR, opts: DiffGraphOptions = {}): string | null {
  const changed = changedPart(graphFromIR(baseIr), graphFromIR(headIr));
  return changed && renderMermaid(fit(changed, opts.maxNodes ?? DEFAULT_MAX_NODES));
}

export function changedPart(base: Graph, head: Graph): Graph | null {
  const baseNodes = new Map(base.nodes.map((n) => [n.key, n]));
  const headNodes = new Map(head.nodes.map((n) => [n.key, n]));
  const nodes = new Map<string, GraphNode>();
  for (const n of head.nodes) {
    const before = baseNodes.get(n.key);
    if (!before) nodes.set(n.key, { ...n, status: 'added' });
    else if (!sameLook(before, n)) nodes.set(n.key, { ...n, status: 'changed' });
  }
  for (const n of base.nodes) if (!headNodes.has(n.key)) nodes.set(n.key, { ...n, status: 'removed' });

  const baseEdges = new Set(base.edges.map(edgeKey));
  const headEdges = new Set(head.edges.map(edgeKey));
  const edges: GraphEdge[] = [
    ...head.edges.filter((e) => !baseEdges.has(edgeKey(e))).map((e) => ({ ...e, status: 'added' as const })),
    ...base.edges.filter((e) => !headEdges.has(edgeKey(e))).map((e) => ({ ...e, status: 'removed' as const })),
  ];
  if (nodes.size === 0 && edges.length === 0) return null;
  for (const key of edges.flatMap((e) => [e.from, e.to])) {
    if (!nodes.has(key)) nodes.set(key, { ...(headNodes.get(key) ?? baseNodes.get(key))!, status: 'unchanged' });
  }
  return sortGraph({ nodes: [...nodes.values()], edges, notes: [] });
}

function sameLook(a: GraphNode, b: GraphNode): boolean {
  return a.team === b.team && nodeLines(a).join('\n') === nodeLines(b).join('\n');
}

/** A merge request comment must stay readable: shed context first, then the picture itself. */
function fit(graph: Graph, maxNodes: number): Graph {
  if (graph.nodes.length <= maxNodes) return graph;
  const nodes = graph.nodes.filter((n) => n.status !== 'unchanged');
  const keys = new Set(nodes.map((n) => n.key));
  if (nodes.length <= maxNodes) {
    return {
      nodes,
      edges: graph.edges.filter((e) => keys.has(e.from) && keys.has(e.to)),
      notes: [`Unchanged neighbours are left out: the change touches ${graph.nodes.length} nodes.`],
    };
  }
  return {
    nodes: [],
    edges: [],
    notes: [`${nodes.length} nodes changed: too many to draw here. Run modelgate graph on both versions to compare.`],
  };
}
