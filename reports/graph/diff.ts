// The changed part of the graph between two configs, for the merge request plan: added nodes and edges in
// one style, removed in another, the unchanged ends of changed edges in a neutral one.
import type { IR } from '../../compiler/ir/types.ts';
import { DEFAULT_MAX_NODES } from './collapse.ts';
import { graphFromIR } from './from-ir.ts';
import { edgeKey, groupBy, sortGraph, type Graph, type GraphEdge, type GraphNode } from './model.ts';
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
  return diffGraphs(graphFromIR(baseIr), graphFromIR(headIr), opts);
}

/** The same from the two full graphs (`graphFromIR`), for a caller that keeps one of them. */
export function diffGraphs(base: Graph, head: Graph, opts: DiffGraphOptions = {}): string | null {
  const changed = changedPart(base, head);
  return changed && renderMermaid(fitToSize(changed, opts.maxNodes ?? DEFAULT_MAX_NODES));
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

  const edges = changedEdges(base.edges, head.edges);
  if (nodes.size === 0 && edges.length === 0) return null;
  for (const key of edges.flatMap((e) => [e.from, e.to])) {
    if (!nodes.has(key)) nodes.set(key, { ...(headNodes.get(key) ?? baseNodes.get(key))!, status: 'unchanged' });
  }
  return sortGraph({ nodes: [...nodes.values()], edges, notes: [] });
}

/**
 * Edges of the head that the base lacks (`added`) and of the base that the head lacks (`removed`), by
 * `edgeKey`. Compared per node they leave from: a large config has a hundred thousand edges, and a change
 * touches a few nodes' edges, which alone need their keys worked out.
 */
function changedEdges(base: readonly GraphEdge[], head: readonly GraphEdge[]): GraphEdge[] {
  const [before, after] = [groupBy(base, (e) => e.from), groupBy(head, (e) => e.from)];
  const changed: GraphEdge[] = [];
  for (const from of new Set([...after.keys(), ...before.keys()])) {
    const [b, a] = [before.get(from) ?? [], after.get(from) ?? []];
    if (a.length === b.length && a.every((e, i) => sameEdge(e, b[i]!))) continue;
    const [bKeys, aKeys] = [new Set(b.map(edgeKey)), new Set(a.map(edgeKey))];
    changed.push(...a.filter((e) => !bKeys.has(edgeKey(e))).map((e) => ({ ...e, status: 'added' as const })));
    changed.push(...b.filter((e) => !aKeys.has(edgeKey(e))).map((e) => ({ ...e, status: 'removed' as const })));
  }
  return changed;
}

const sameEdge = (a: GraphEdge, b: GraphEdge) => a.to === b.to && a.kind === b.kind && a.label === b.label;

function sameLook(a: GraphNode, b: GraphNode): boolean {
  return a.team === b.team && nodeLines(a).join('\n') === nodeLines(b).join('\n');
}

/** A merge request comment must stay readable: shed context first, then the picture itself. */
function fitToSize(graph: Graph, maxNodes: number): Graph {
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
