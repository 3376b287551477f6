// Graphviz DOT (`modelgate graph --format dot | dot -Tsvg > graph.svg`).
import type { Graph, GraphEdge, GraphNode, NodeKind } from './model.ts';
import { edgeLabel, KIND_COLOURS, NOTE_COLOURS, nodeLines, notesOf, STATUS_COLOURS, teamsOf, teamTitle, WAIVED_STROKE } from './style.ts';

const SHAPES: Record<NodeKind, string> = {
  consumer: 'ellipse',
  policy: 'hexagon',
  prompt: 'parallelogram',
  route: 'box',
  model: 'box',
  provider: 'cylinder',
  'mcp-server': 'component',
  guardrail: 'octagon',
};

export function renderDot(graph: Graph): string {
  const lines = [
    'digraph modelgate {',
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=11];',
    '  node [fontname="Helvetica", fontsize=10, style=filled];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  const grouped = new Set<string>();
  for (const [team, members] of teamsOf(graph.nodes)) {
    lines.push(`  subgraph ${quote(`cluster_team_${team}`)} {`, `    label=${quote(teamTitle(team))};`, '    style=rounded;');
    for (const m of members) {
      lines.push(`    ${node(m)}`);
      grouped.add(m.key);
    }
    lines.push('  }');
  }
  for (const n of graph.nodes) if (!grouped.has(n.key)) lines.push(`  ${node(n)}`);
  const notes = notesOf(graph);
  if (notes.length) {
    lines.push(
      `  "notes" [shape=note, fillcolor="${NOTE_COLOURS.fill}", color="${NOTE_COLOURS.stroke}", label=${quote(notes.join('\n'))}];`,
    );
  }
  for (const e of graph.edges) lines.push(`  ${quote(e.from)} -> ${quote(e.to)}${attributes(edgeAttributes(e))};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function node(n: GraphNode): string {
  const colours = n.status ? STATUS_COLOURS[n.status] : KIND_COLOURS[n.kind];
  const attrs: [string, string][] = [
    ['label', nodeLines(n).join('\n')],
    ['shape', SHAPES[n.kind]],
    ['fillcolor', colours.fill],
    ['color', n.waivedRules?.length && !n.status ? WAIVED_STROKE : colours.stroke],
  ];
  const dashed = Boolean(n.waivedRules?.length) || n.status === 'removed';
  attrs.push(['style', ['filled', ...(n.kind === 'model' ? ['rounded'] : []), ...(dashed ? ['dashed'] : [])].join(',')]);
  if (dashed) attrs.push(['penwidth', '2']);
  if (colours.text) attrs.push(['fontcolor', colours.text]);
  return `${quote(n.key)}${attributes(attrs)};`;
}

function edgeAttributes(e: GraphEdge): [string, string][] {
  const attrs: [string, string][] = [];
  const label = edgeLabel(e);
  if (label) attrs.push(['label', label]);
  if (e.kind === 'fallback' || e.status === 'removed') attrs.push(['style', 'dashed']);
  if (e.status === 'added' || e.status === 'removed') attrs.push(['color', STATUS_COLOURS[e.status].stroke], ['penwidth', '2']);
  return attrs;
}

function attributes(attrs: [string, string][]): string {
  return attrs.length ? ` [${attrs.map(([k, v]) => `${k}=${quote(v)}`).join(', ')}]` : '';
}

/** A DOT quoted string; newlines become DOT's centred line breaks. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
