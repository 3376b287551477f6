// One entry for the three output formats of `modelgate graph`.
import type { Graph } from './model.ts';
import { renderDot } from './render-dot.ts';
import { renderMermaid } from './render-mermaid.ts';

export const GRAPH_FORMATS = ['mermaid', 'dot', 'json'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export function renderGraph(graph: Graph, format: GraphFormat): string {
  switch (format) {
    case 'mermaid':
      return renderMermaid(graph);
    case 'dot':
      return renderDot(graph);
    case 'json':
      return `${JSON.stringify(graph, null, 2)}\n`;
  }
}
