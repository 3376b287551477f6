// Requests answered from every server of a view at once: `initialize` (which opens the upstream sessions a gateway
// session seals) and the lists, filtered to the consumer's grants and, for tools, to the pinned catalogue.
import type { IRMcpTool } from '../../compiler/ir/types.ts';
import type { ServerAccess } from './access.ts';
import type { McpContext } from './context.ts';
import { type Params, type RpcRequest, type RpcResponse, RpcError, resultMessage, UPSTREAM_FAILED } from './jsonrpc.ts';
import type { UpstreamSession } from './session.ts';
import { collectResponse } from './upstream.ts';
import { type Bound, shownName, type Upstreams, type View } from './view.ts';

/** Pages of a list followed per server before the gateway stops (and answers with what it has). */
const MAX_PAGES = 20;

interface Opened {
  name: string;
  result: Params;
  session: UpstreamSession;
}

export async function initialize(c: McpContext, view: View, req: RpcRequest): Promise<void> {
  const servers = [...view.access.values()];
  const settled = await Promise.allSettled(servers.map((s) => initializeOne(c, s, req)));
  const opened: Opened[] = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') opened.push(s.value);
    else
      c.log.log('warn', 'an MCP server could not be initialized; the session goes without it', {
        requestId: c.id,
        server: servers[i].server.ir.name,
        error: String(s.reason?.message ?? s.reason),
      });
  });
  if (opened.length === 0) {
    const first = settled[0];
    throw first?.status === 'rejected' && first.reason instanceof RpcError
      ? first.reason
      : new RpcError(UPSTREAM_FAILED, 'No MCP server could be initialized.');
  }
  const upstreams = Object.fromEntries(opened.map((o) => [o.name, o.session]));
  c.headers['mcp-session-id'] = c.snap.mcp!.sessions.seal({ consumer: c.consumer, scope: view.scope, upstreams });
  const requested = String(req.params?.protocolVersion ?? '');
  c.json(resultMessage(req.id, view.prefixed ? merged(opened, requested) : opened[0].result));
}

async function initializeOne(c: McpContext, s: ServerAccess, req: RpcRequest): Promise<Opened> {
  const name = s.server.ir.name;
  const ex = c.send(s.server, { body: JSON.stringify(req) });
  const response = await collectResponse(ex, name, req.id);
  if (response.error) throw new RpcError(response.error.code, `MCP server "${name}" refused to initialize: ${response.error.message}`);
  const result = (response.result ?? {}) as Params;
  const protocol = typeof result.protocolVersion === 'string' ? result.protocolVersion : String(req.params?.protocolVersion ?? '');
  return { name, result, session: { id: ex.responseHeader('mcp-session-id') ?? null, protocol } };
}

/** One server's answer standing for all of them: the capabilities any has, the oldest protocol version any chose. */
function merged(opened: Opened[], requested: string): Params {
  const versions = opened.map((o) => o.session.protocol);
  const capability = (key: string): Params | undefined => {
    const all = opened.map((o) => o.result.capabilities?.[key]).filter((x) => x && typeof x === 'object');
    if (all.length === 0) return undefined;
    const flag = (f: string) => (all.some((x) => x[f] === true) ? { [f]: true } : {});
    return { ...flag('listChanged'), ...flag('subscribe') };
  };
  const capabilities = Object.fromEntries(
    ['tools', 'prompts', 'resources', 'logging', 'completions'].flatMap((key) => {
      const c = capability(key);
      return c ? [[key, c]] : [];
    }),
  );
  const instructions = opened.filter((o) => typeof o.result.instructions === 'string').map((o) => `${o.name}: ${o.result.instructions}`);
  return {
    protocolVersion: versions.every((v) => v === requested) ? requested : [...versions].sort()[0],
    capabilities,
    serverInfo: { name: 'modelgate', title: 'modelgate MCP gateway', version: '1' },
    ...(instructions.length ? { instructions: instructions.join('\n\n') } : {}),
  };
}

type Item = Record<string, any>;

const RISK_HINTS: Record<IRMcpTool['risk'], Params> = {
  read: { readOnlyHint: true, destructiveHint: false },
  write: { readOnlyHint: false, destructiveHint: false },
  destructive: { readOnlyHint: false, destructiveHint: true },
};

/** What a consumer sees of one listed item, or undefined when it may not see it. */
type Shown = (item: Item, server: string, bound: Bound, view: View) => Item | undefined;

const shownTool: Shown = (item, server, b, view) => {
  if (typeof item.name !== 'string' || !b.access.toolPolicy(item.name)) return undefined;
  const pinned = b.access.server.catalogue?.get(item.name);
  const shown: Item = { ...item, name: shownName(view, server, item.name) };
  // The reviewed description replaces the server's: a server that rewrites a description cannot steer agents.
  if (pinned?.description !== undefined) shown.description = pinned.description;
  if (pinned) shown.annotations = { ...item.annotations, ...RISK_HINTS[pinned.risk] };
  return shown;
};

const LISTS: Record<string, { key: string; shown: Shown }> = {
  'tools/list': { key: 'tools', shown: shownTool },
  'prompts/list': {
    key: 'prompts',
    shown: (item, server, b, view) =>
      typeof item.name === 'string' && b.access.prompt(item.name) ? { ...item, name: shownName(view, server, item.name) } : undefined,
  },
  'resources/list': {
    key: 'resources',
    shown: (item, _s, b) => (typeof item.uri === 'string' && b.access.resource(item.uri) ? item : undefined),
  },
  'resources/templates/list': {
    key: 'resourceTemplates',
    shown: (item, _s, b) => (typeof item.uriTemplate === 'string' && b.access.resource(item.uriTemplate) ? item : undefined),
  },
};

export const isList = (method: string): boolean => Object.hasOwn(LISTS, method);

/**
 * Every page of every server, filtered: answered whole, without a cursor. In `/mcp` a server that fails is left
 * out (and logged) so that the others stay usable, unless it lost the session; in `/mcp/{server}` its failure is the answer.
 */
export async function list(c: McpContext, view: View, upstreams: Upstreams, req: RpcRequest): Promise<void> {
  const { key, shown } = LISTS[req.method];
  const lists = await Promise.all(
    [...upstreams].map(async ([server, bound]) => {
      try {
        const items = await listAll(c, bound, req, key);
        return items.flatMap((item) => (item && typeof item === 'object' ? (shown(item, server, bound, view) ?? []) : []));
      } catch (err) {
        // A session a server no longer knows is the whole gateway session's end: the client must initialize again.
        if (!view.prefixed || (err instanceof RpcError && err.status === 404)) throw err;
        c.log.log('warn', 'an MCP server failed to list; its items are left out', {
          requestId: c.id,
          server,
          method: req.method,
          error: String((err as Error).message),
        });
        return [];
      }
    }),
  );
  c.json(resultMessage(req.id, { [key]: lists.flat() }));
}

async function listAll(c: McpContext, b: Bound, req: RpcRequest, key: string): Promise<unknown[]> {
  const name = b.access.server.ir.name;
  const items: unknown[] = [];
  let cursor: unknown;
  for (let page = 0; page < MAX_PAGES; page++) {
    const message: RpcRequest = { jsonrpc: '2.0', id: req.id, method: req.method, params: typeof cursor === 'string' ? { cursor } : {} };
    const response: RpcResponse = await collectResponse(
      c.send(b.access.server, { body: JSON.stringify(message), session: b.upstream }),
      name,
      req.id,
    );
    if (response.error) throw new RpcError(response.error.code, `MCP server "${name}": ${response.error.message}`);
    const got: unknown = response.result?.[key];
    if (Array.isArray(got)) items.push(...got);
    cursor = response.result?.nextCursor;
    if (typeof cursor !== 'string' || cursor === '') break;
  }
  return items;
}
