// What the renderers share: colours per kind and status, and the text lines of a node or edge.
import { compare, groupBy, type ChangeStatus, type Graph, type GraphEdge, type GraphNode, type NodeKind } from './model.ts';

export interface Colours {
  fill: string;
  stroke: string;
  text?: string;
}

export const KIND_COLOURS: Record<NodeKind, Colours> = {
  consumer: { fill: '#e8f1ff', stroke: '#4a7bd0' },
  policy: { fill: '#fff4d6', stroke: '#c69026' },
  prompt: { fill: '#f3e8ff', stroke: '#8a5cc2' },
  route: { fill: '#e6f6ec', stroke: '#2f9a57' },
  model: { fill: '#ffffff', stroke: '#6e7781' },
  provider: { fill: '#eceff3', stroke: '#57606a' },
  'mcp-server': { fill: '#e0f7fa', stroke: '#00838f' },
  guardrail: { fill: '#fde8e8', stroke: '#b42318' },
};

export const STATUS_COLOURS: Record<ChangeStatus, Colours> = {
  added: { fill: '#dafbe1', stroke: '#1a7f37', text: '#116329' },
  removed: { fill: '#ffebe9', stroke: '#cf222e', text: '#a40e26' },
  changed: { fill: '#fff8c5', stroke: '#9a6700', text: '#7d4e00' },
  unchanged: { fill: '#f6f8fa', stroke: '#8c959f', text: '#57606a' },
};

export const WAIVED_STROKE = '#d1242f';
export const NOTE_COLOURS: Colours = { fill: '#fffbe6', stroke: '#d4a72c' };

/** Marks that carry the change without colour, for colour-blind readers and plain-text views. */
const STATUS_PREFIX: Record<ChangeStatus, string> = { added: '+ ', removed: '\u2212 ', changed: '~ ', unchanged: '' };

export function nodeLines(node: GraphNode): string[] {
  const first = `${node.status ? STATUS_PREFIX[node.status] : ''}${node.label}`;
  const waived = node.waivedRules?.length ? [`waived: ${node.waivedRules.join(', ')}`] : [];
  return [first, ...node.details, ...waived];
}

export function edgeLabel(edge: GraphEdge): string | undefined {
  const prefix = edge.status ? STATUS_PREFIX[edge.status].trim() : '';
  if (!edge.label) return prefix || undefined;
  return prefix ? `${prefix} ${edge.label}` : edge.label;
}

/** The notes drawn on the picture; an empty picture says so rather than render as nothing. */
export function notesOf(graph: Graph): string[] {
  return graph.nodes.length === 0 ? [...graph.notes, 'Nothing to draw.'] : graph.notes;
}

export function teamTitle(team: string): string {
  return `team: ${team}`;
}

/** Consumers that carry a team label and were not folded, by team in name order. */
export function teamsOf(nodes: readonly GraphNode[]): [string, GraphNode[]][] {
  const teams = groupBy(
    nodes.filter((n) => n.kind === 'consumer' && n.team !== undefined),
    (n) => n.team!,
  );
  return [...teams].sort(([a], [b]) => compare(a, b));
}
