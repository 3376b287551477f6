// Keeps large graphs readable: folds groups of similar nodes into one until the graph fits a node budget,
// and says in a note what was folded.
import { compare, edgeKey, groupBy, sortGraph, type Graph, type GraphEdge, type GraphNode } from './model.ts';

/** About what a Mermaid picture in a merge request comment stays legible at. */
export const DEFAULT_MAX_NODES = 60;

interface Fold {
  members: GraphNode[];
  /** The node drawn instead; an existing key (the provider its models fold into) is updated in place. */
  into: GraphNode;
  note: string;
}

export function collapseGraph(graph: Graph, maxNodes = DEFAULT_MAX_NODES): Graph {
  if (graph.nodes.length <= maxNodes) return graph;
  let current = graph;
  // Consumers are the most numerous, then models, then prompts: fold in that order, biggest group first.
  for (const fold of [...teamFolds(graph), ...modelFolds(graph), ...promptFolds(graph)]) {
    if (current.nodes.length <= maxNodes) break;
    current = applyFold(current, fold);
  }
  if (current.nodes.length > maxNodes) {
    current = {
      ...current,
      notes: [...current.notes, `Still ${current.nodes.length} nodes (limit ${maxNodes}): use --focus kind/name to see one part.`],
    };
  }
  return sortGraph(current);
}

function teamFolds(graph: Graph): Fold[] {
  const teams = groupBy(
    graph.nodes.filter((n) => n.kind === 'consumer'),
    (n) => n.team ?? '',
  );
  return bySize(teams, 2).map(([team, members]) => ({
    members,
    into: {
      key: `Team/${team || '(none)'}`,
      kind: 'consumer',
      label: team ? `team ${team}` : 'consumers without a team label',
      details: [`${members.length} consumers`],
    },
    note: `${members.length} consumers ${team ? `of team ${team}` : 'without a team label'} are drawn as one node.`,
  }));
}

function modelFolds(graph: Graph): Fold[] {
  const providers = new Map(graph.nodes.filter((n) => n.kind === 'provider').map((n) => [n.key, n]));
  const hostOf = new Map(graph.edges.filter((e) => e.kind === 'hosted-by').map((e) => [e.from, e.to]));
  const models = groupBy(
    graph.nodes.filter((n) => hostOf.has(n.key)),
    (n) => hostOf.get(n.key)!,
  );
  return bySize(models, 1).flatMap(([providerKey, members]) => {
    const provider = providers.get(providerKey);
    if (!provider) return [];
    return [
      {
        members,
        into: { ...provider, details: [...provider.details, `${members.length} models: ${members.map((m) => m.label).join(', ')}`] },
        note: `${provider.label}'s ${members.length} models are folded into the provider node.`,
      },
    ];
  });
}

function promptFolds(graph: Graph): Fold[] {
  const routeOf = new Map(graph.edges.filter((e) => e.kind === 'runs-on').map((e) => [e.from, e.to]));
  const prompts = groupBy(
    graph.nodes.filter((n) => routeOf.has(n.key)),
    (n) => routeOf.get(n.key)!,
  );
  return bySize(prompts, 2).map(([routeKey, members]) => {
    const route = routeKey.slice(routeKey.indexOf('/') + 1);
    return {
      members,
      into: { key: `Prompts/${route}`, kind: 'prompt', label: `${members.length} prompts`, details: [`on ${route}`] },
      note: `${members.length} prompts running on ${route} are drawn as one node.`,
    };
  });
}

/** Groups of at least `min` members, largest first, ties by name so the result is stable. */
function bySize(groups: Map<string, GraphNode[]>, min: number): [string, GraphNode[]][] {
  return [...groups].filter(([, members]) => members.length >= min).sort(([a, x], [b, y]) => y.length - x.length || compare(a, b));
}

function applyFold(graph: Graph, fold: Fold): Graph {
  const folded = new Set(fold.members.map((m) => m.key));
  const waived = [...new Set([fold.into, ...fold.members].flatMap((m) => m.waivedRules ?? []))].sort();
  const into: GraphNode = {
    ...fold.into,
    members: fold.members.map((m) => m.key).sort(),
    ...(waived.length ? { waivedRules: waived } : {}),
  };
  const rename = (key: string): string => (folded.has(key) ? into.key : key);
  const edges = new Map<string, GraphEdge>();
  for (const e of graph.edges) {
    const edge = { ...e, from: rename(e.from), to: rename(e.to) };
    if (edge.from !== edge.to) edges.set(edgeKey(edge), edge);
  }
  const nodes = graph.nodes.filter((n) => !folded.has(n.key) && n.key !== into.key);
  return { nodes: [...nodes, into], edges: [...edges.values()], notes: [...graph.notes, fold.note] };
}
