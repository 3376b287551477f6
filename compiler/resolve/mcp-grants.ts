// Checks of an access policy's MCP grants: servers that exist, tools of pinned catalogues that exist, and
// entries that overlap (a name a glob already grants, a server granted twice), each at its node with a suggestion.
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import { anyGlob, globMatches, isGlob } from '../../kernel/name-glob.ts';
import type { DocPath, Resource } from '../../kernel/resource.ts';
import type { ResourceIndex } from './index-resources.ts';

type Missing = (r: Resource<'AccessPolicy'>, path: DocPath, what: string, name: string, candidates: Iterable<string>) => void;

export function checkMcpGrants(r: Resource<'AccessPolicy'>, index: ResourceIndex, missing: Missing): Diagnostic[] {
  const grants = r.value.spec?.mcp?.servers;
  if (!Array.isArray(grants)) return [];
  const out: Diagnostic[] = [];
  const warn = (path: DocPath, message: string, hint: string) =>
    out.push({ ruleId: 'mcp-grant', severity: 'warning', message, hint, resource: r.id, ...r.locate(path) });
  const servers = [...index.McpServer.keys()];
  const grantedBy = new Map<string, number>();
  grants.forEach((grant, i) => {
    if (typeof grant?.name !== 'string') return;
    const at: DocPath = ['spec', 'mcp', 'servers', i];
    const matched = isGlob(grant.name) ? servers.filter((s) => globMatches(grant.name, s)) : servers.filter((s) => s === grant.name);
    if (matched.length === 0) {
      if (isGlob(grant.name)) warn([...at, 'name'], `The glob "${grant.name}" matches no McpServer.`, 'Fix the glob or remove the grant.');
      else missing(r, [...at, 'name'], 'McpServer', grant.name, servers);
      return;
    }
    for (const server of matched) {
      const first = grantedBy.get(server);
      if (first === undefined) grantedBy.set(server, i);
      else
        warn(
          [...at, 'name'],
          `McpServer "${server}" is already granted by spec.mcp.servers[${first}] of this policy.`,
          'Merge the two grants into one, so reviewers read one list of tools.',
        );
    }
    checkPatterns(grant.tools, [...at, 'tools'], warn);
    checkPatterns(grant.excludeTools, [...at, 'excludeTools'], warn);
    // Tool names can be checked only against catalogues pinned in Git, and only when every matched server pins one.
    const catalogues = matched.map((s) => index.McpServer.get(s)!.value.spec?.tools);
    if (!catalogues.every(Array.isArray)) return;
    const tools = [...new Set(catalogues.flatMap((c) => c!.map((t) => String(t?.name))))];
    for (const field of ['tools', 'excludeTools'] as const) {
      grant[field]?.forEach((pattern, j) => {
        if (typeof pattern !== 'string' || pattern === '*') return;
        if (!isGlob(pattern)) {
          if (!tools.includes(pattern)) missing(r, [...at, field, j], `Tool of McpServer ${matched.join(', ')}`, pattern, tools);
        } else if (!tools.some((t) => globMatches(pattern, t))) {
          warn(
            [...at, field, j],
            `The glob "${pattern}" matches no tool of the pinned catalogue of ${matched.join(', ')}.`,
            "Fix the glob, or add the tool to the McpServer's `tools`.",
          );
        }
      });
    }
  });
  return out;
}

/** Names a glob of the same list already covers, and repeated entries. */
function checkPatterns(patterns: unknown, at: DocPath, warn: (path: DocPath, message: string, hint: string) => void): void {
  if (!Array.isArray(patterns)) return;
  const list = patterns.filter((p): p is string => typeof p === 'string');
  list.forEach((pattern, j) => {
    const earlier = list.indexOf(pattern);
    if (earlier < j) return warn([...at, j], `"${pattern}" is listed twice.`, 'Remove the repeated entry.');
    if (isGlob(pattern)) return;
    const glob = list.find((other) => other !== pattern && isGlob(other) && anyGlob([other])(pattern));
    if (glob !== undefined)
      warn(
        [...at, j],
        `"${pattern}" is already matched by "${glob}" in the same list.`,
        'Remove the name, or narrow the glob if the name was meant to be the only one.',
      );
  });
}
