// `--focus kind/name`: keep only the paths that pass through one node (its ancestors and descendants).
import { didYouMean } from '../../kernel/suggest.ts';
import { groupBy, type Graph, type GraphEdge } from './model.ts';

export class FocusNotFoundError extends Error {
  override name = 'FocusNotFoundError';
}

const KIND_ALIASES: Record<string, string> = {
  consumer: 'Consumer',
  accesspolicy: 'AccessPolicy',
  policy: 'AccessPolicy',
  route: 'Route',
  prompt: 'Prompt',
  provider: 'Provider',
  model: 'Model',
  mcpserver: 'McpServer',
  mcp: 'McpServer',
};

/** `route/chat` and `Route/chat` name the same node; `Model/openai/gpt-4o` names a provider model. */
export function focusKey(focus: string, graph: Graph): string {
  const slash = focus.indexOf('/');
  const kind = KIND_ALIASES[focus.slice(0, Math.max(slash, 0)).toLowerCase()];
  const key = kind ? `${kind}${focus.slice(slash)}` : focus;
  const keys = graph.nodes.map((n) => n.key);
  if (keys.includes(key)) return key;
  throw new FocusNotFoundError(
    `--focus ${focus}: no such node in this environment's graph.${didYouMean(key, keys)} ` +
      'Use kind/name, e.g. Route/chat-default, Consumer/payments-api or Model/openai/gpt-4o.',
  );
}

export function focusGraph(graph: Graph, key: string): Graph {
  const up = reach(
    graph.edges,
    key,
    (e) => e.to,
    (e) => e.from,
  );
  const down = reach(
    graph.edges,
    key,
    (e) => e.from,
    (e) => e.to,
  );
  // An edge is kept only when it lies on a path through the focus: both ends upstream or both downstream.
  const keep = (e: GraphEdge): boolean => (up.has(e.from) && up.has(e.to)) || (down.has(e.from) && down.has(e.to));
  return {
    nodes: graph.nodes.filter((n) => up.has(n.key) || down.has(n.key)),
    edges: graph.edges.filter(keep),
    notes: [...graph.notes, `Showing only what reaches or is reached by ${key}.`],
  };
}

/** The start node plus every node reachable from it following `next` (from `at`). */
function reach(edges: GraphEdge[], start: string, at: (e: GraphEdge) => string, next: (e: GraphEdge) => string): Set<string> {
  const out = groupBy(edges, at);
  const seen = new Set([start]);
  const queue = [start];
  for (let key = queue.pop(); key !== undefined; key = queue.pop()) {
    for (const edge of out.get(key) ?? []) {
      if (seen.has(next(edge))) continue;
      seen.add(next(edge));
      queue.push(next(edge));
    }
  }
  return seen;
}
