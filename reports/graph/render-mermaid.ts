// Mermaid `flowchart LR` as GitLab renders it in markdown (```mermaid fences in MR notes and READMEs).
// Only long-standing syntax is used (shapes, quoted labels, subgraph, classDef/class, linkStyle), so
// older Mermaid versions bundled by self-managed GitLab draw it too.
import { groupBy, type ChangeStatus, type Graph, type GraphNode, type NodeKind } from './model.ts';
import {
  edgeLabel,
  KIND_COLOURS,
  NOTE_COLOURS,
  nodeLines,
  notesOf,
  STATUS_COLOURS,
  teamsOf,
  teamTitle,
  WAIVED_STROKE,
  type Colours,
} from './style.ts';

const SHAPES: Record<NodeKind, [string, string]> = {
  consumer: ['([', '])'],
  policy: ['{{', '}}'],
  prompt: ['[/', '/]'],
  route: ['[', ']'],
  model: ['(', ')'],
  provider: ['[(', ')]'],
  'mcp-server': ['[[', ']]'],
  guardrail: ['[\\', '/]'],
};

export function renderMermaid(graph: Graph): string {
  const ids = idAllocator();
  const idOf = new Map(graph.nodes.map((n) => [n.key, ids(n.key)]));
  const diff = graph.nodes.some((n) => n.status) || graph.edges.some((e) => e.status);
  const node = (n: GraphNode, indent: string): string => {
    const [open, close] = SHAPES[n.kind];
    return `${indent}${idOf.get(n.key)}${open}"${nodeLines(n).map(escapeText).join('<br/>')}"${close}`;
  };

  const lines = ['flowchart LR'];
  const grouped = new Set<string>();
  for (const [team, members] of teamsOf(graph.nodes)) {
    lines.push(`  subgraph ${ids(`team_${team}`)} ["${escapeText(teamTitle(team))}"]`);
    for (const m of members) {
      lines.push(node(m, '    '));
      grouped.add(m.key);
    }
    lines.push('  end');
  }
  for (const n of graph.nodes) if (!grouped.has(n.key)) lines.push(node(n, '  '));
  const notes = notesOf(graph);
  const noteId = notes.length ? ids('notes') : undefined;
  if (noteId) lines.push(`  ${noteId}>"${notes.map(escapeText).join('<br/>')}"]`);

  for (const e of graph.edges) {
    const arrow = e.kind === 'fallback' ? '-.->' : '-->';
    const label = edgeLabel(e);
    lines.push(`  ${idOf.get(e.from)} ${arrow}${label ? `|"${escapeText(label)}"|` : ''} ${idOf.get(e.to)}`);
  }

  const memberships: [className: string, id: string][] = graph.nodes.flatMap((n) => {
    const id = idOf.get(n.key)!;
    if (diff) return [[n.status ?? 'unchanged', id]];
    return n.waivedRules?.length
      ? [
          [n.kind, id],
          ['waived', id],
        ]
      : [[n.kind, id]];
  });
  if (noteId) memberships.push(['note', noteId]);
  const classes = groupBy(memberships, ([className]) => className);
  const styles: Record<string, string> = {
    ...Object.fromEntries(Object.entries(diff ? STATUS_COLOURS : KIND_COLOURS).map(([k, c]) => [k, classStyle(c)])),
    waived: `stroke:${WAIVED_STROKE},stroke-width:2px,stroke-dasharray:4 3`,
    removed: `${classStyle(STATUS_COLOURS.removed)},stroke-dasharray:5 5`,
    note: classStyle(NOTE_COLOURS),
  };
  for (const [name, members] of classes) {
    lines.push(`  classDef ${name} ${styles[name]}`, `  class ${members.map(([, id]) => id).join(',')} ${name}`);
  }
  if (diff) lines.push(...linkStyles(graph));
  return `${lines.join('\n')}\n`;
}

function linkStyles(graph: Graph): string[] {
  const style: Partial<Record<ChangeStatus, string>> = {
    added: `stroke:${STATUS_COLOURS.added.stroke},stroke-width:2px`,
    removed: `stroke:${STATUS_COLOURS.removed.stroke},stroke-width:2px,stroke-dasharray:5 5`,
  };
  return (['added', 'removed'] as const).flatMap((status) => {
    const indexes = graph.edges.flatMap((e, i) => (e.status === status ? [i] : []));
    return indexes.length ? [`  linkStyle ${indexes.join(',')} ${style[status]}`] : [];
  });
}

function classStyle(c: Colours): string {
  return `fill:${c.fill},stroke:${c.stroke}${c.text ? `,color:${c.text}` : ''}`;
}

/** Node ids: letters, digits and `_` only (Mermaid keywords such as `end` cannot occur: ids keep their kind prefix). */
function idAllocator(): (key: string) => string {
  const used = new Set<string>();
  return (key) => {
    const base = key.replace(/[^A-Za-z0-9]+/g, '_');
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    return id;
  };
}

/**
 * Inside a quoted label, Mermaid reads `"` as the end, `#...;` as an entity, `<...>` as HTML and a leading
 * backtick as markdown: everything but plain characters becomes a numeric entity (`#34;`).
 */
export function escapeText(text: string): string {
  let out = '';
  for (const ch of text) out += /[A-Za-z0-9 _\-.,:/()%$+=@!?*']/.test(ch) ? ch : `#${ch.codePointAt(0)};`;
  return out;
}
