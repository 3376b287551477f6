// Public face of the graph module: build, render, diff.
export { buildGraph, type GraphOptions } from './build.ts';
export { DEFAULT_MAX_NODES } from './collapse.ts';
export { diffGraph, diffGraphs, type DiffGraphOptions } from './diff.ts';
export { graphFromIR } from './from-ir.ts';
export { FocusNotFoundError } from './focus.ts';
export type { ChangeStatus, EdgeKind, Graph, GraphEdge, GraphNode, NodeKind, Waiver } from './model.ts';
export { renderGraph, GRAPH_FORMATS, type GraphFormat } from './render.ts';
