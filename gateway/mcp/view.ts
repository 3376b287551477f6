// What one path shows a consumer: `/mcp/{server}` one server under its own names, `/mcp` every server the consumer
// may use with tool and prompt names prefixed `server__` (as Envoy AI Gateway does); and the upstream sessions of
// the gateway session a request names.
import type { ConsumerAccess, ServerAccess } from './access.ts';
import type { UpstreamSession } from './session.ts';

export interface View {
  /** '' for `/mcp`, the server's name for `/mcp/{server}`. */
  scope: string;
  access: ConsumerAccess;
  prefixed: boolean;
}

/** A server of the view with its upstream session. */
export interface Bound {
  access: ServerAccess;
  upstream: UpstreamSession;
}

/** The servers of a session, by name, still granted (a reload may withdraw a grant from a live session). */
export type Upstreams = ReadonlyMap<string, Bound>;

export const SEPARATOR = '__';

export const shownName = (view: View, server: string, name: string): string => (view.prefixed ? `${server}${SEPARATOR}${name}` : name);

/** The server a tool or prompt name belongs to and its name there; the server is named even when not in the session. */
export function resolveName(
  view: View,
  upstreams: Upstreams,
  name: string,
): { server: string; bound: Bound | undefined; name: string } | undefined {
  if (!view.prefixed) return { server: view.scope, bound: upstreams.get(view.scope), name };
  const at = name.indexOf(SEPARATOR);
  if (at <= 0) return undefined;
  const server = name.slice(0, at);
  return { server, bound: upstreams.get(server), name: name.slice(at + SEPARATOR.length) };
}
