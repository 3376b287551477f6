// What the portal lists: every route, prompt and MCP server of one environment, with what people read about it
// (description, owner, team) and who may use it (the access policies that grant it, their consumers and teams).
import type { IR, IRAccessPolicy, IRRoute } from '../../compiler/ir/types.ts';
import type { AnyResource } from '../../kernel/resource.ts';
import { grants } from '../../kernel/grants.ts';
import { consumersOf } from '../../kernel/subjects.ts';

export interface PortalInput {
  ir: IR;
  /** The environment's effective resources: their descriptions and the files that declare them. */
  resources: readonly AnyResource[];
  /** The gateway as clients reach it, without a trailing slash. */
  gatewayUrl: string;
  /** Where "request access" opens GitLab's new-file page; without it the page shows the file to add. */
  gitlab?: { projectUrl: string; branch: string };
  /** The config root's folder inside its git repository (`''` at the top). */
  repoPrefix: string;
}

export type EntryKind = 'Route' | 'Prompt' | 'McpServer';

export interface Grant {
  policy: IRAccessPolicy;
  /** Consumers the policy applies to, and their `team` labels. */
  consumers: string[];
  teams: string[];
}

export interface Entry {
  kind: EntryKind;
  name: string;
  description: string;
  labels: Record<string, string>;
  /** The page's path inside the site. */
  page: string;
  grants: Grant[];
  /** Lower-case text the search box matches: names, description, labels, the teams with access, models or tools. */
  search: string;
}

/** Who may ask for access: a team (its consumers by label), or a consumer of no team. */
export interface Requester {
  name: string;
  team: string;
  owner: string;
  subject: { labels: { team: string } } | { consumers: string[] };
}

export interface Catalogue {
  input: PortalInput;
  routes: Entry[];
  prompts: Entry[];
  mcpServers: Entry[];
  requesters: Requester[];
  /** The folder (repository path) where AccessPolicy files are kept: the most used one, or `access`. */
  accessDir: string;
}

export const PAGE_FOLDERS: Record<EntryKind, string> = { Route: 'routes', Prompt: 'prompts', McpServer: 'mcp' };

export function buildCatalogue(input: PortalInput): Catalogue {
  const { ir } = input;
  const byId = new Map(input.resources.map((r) => [r.id, r]));
  const teamOf = new Map(ir.consumers.map((c) => [c.name, c.labels.team]));
  const subjects = consumersOf(ir);
  const entry = (
    kind: EntryKind,
    { name, labels }: { name: string; labels: Record<string, string> },
    granted: (p: IRAccessPolicy) => boolean,
    terms: string[],
  ): Entry => {
    const grants = ir.accessPolicies.filter(granted).map((policy) => ({
      policy,
      consumers: subjects(policy),
      teams: uniqueSorted(subjects(policy).map((c) => teamOf.get(c))),
    }));
    const description = byId.get(`${kind}/${name}`)?.value.metadata.description ?? '';
    const teams = grants.flatMap((g) => g.teams);
    const search = [kind === 'McpServer' ? 'mcp server' : kind, name, description, ...Object.values(labels), ...teams, ...terms];
    return { kind, name, description, labels, page: `${PAGE_FOLDERS[kind]}/${name}.html`, grants, search: search.join(' ').toLowerCase() };
  };
  const models = (r: IRRoute) => [
    ...r.targets.map((t) => `${t.provider}/${t.model}`),
    ...(r.aliases?.exact ?? []),
    ...(r.aliases?.patterns ?? []),
  ];
  return {
    input,
    routes: ir.routes.map((r) => entry('Route', r, (p) => grants(p.routes, r.name), [r.type, ...models(r)])),
    prompts: ir.prompts.map((p) => entry('Prompt', p, (a) => grants(a.prompts, p.name), [p.route, p.expose?.path ?? ''])),
    mcpServers: (ir.mcpServers ?? []).map((s) =>
      entry(
        'McpServer',
        s,
        (a) => !!a.mcp?.servers.some((g) => g.server === s.name),
        (s.tools ?? []).map((t) => t.name),
      ),
    ),
    requesters: requesters(ir),
    accessDir: accessDir(input),
  };
}

/** Teams by their consumers' `team` label, each with the owner most of its consumers name; else each consumer. */
function requesters(ir: IR): Requester[] {
  const teams = new Map<string, string[]>();
  for (const { labels } of ir.consumers)
    if (labels.team) teams.set(labels.team, [...(teams.get(labels.team) ?? []), ...(labels.owner ? [labels.owner] : [])]);
  if (teams.size)
    return [...teams]
      .sort(([a], [b]) => compare(a, b))
      .map(([team, owners]) => ({ name: team, team, owner: mostCommon(owners) || team, subject: { labels: { team } } }));
  return ir.consumers.map((c) => ({ name: c.name, team: c.name, owner: c.labels.owner ?? c.name, subject: { consumers: [c.name] } }));
}

function accessDir(input: PortalInput): string {
  const dirs = input.resources
    .filter((r) => r.kind === 'AccessPolicy')
    .map((r) => (r.file.includes('/') ? r.file.slice(0, r.file.lastIndexOf('/')) : ''));
  const dir = dirs.length ? mostCommon(dirs) : 'access';
  return [input.repoPrefix, dir].filter(Boolean).join('/');
}

/** The most frequent value; the first in sort order among equals, so that the site does not depend on file order. */
function mostCommon(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort(([a, x], [b, y]) => y - x || compare(a, b))[0]?.[0] ?? '';
}

function uniqueSorted(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v))].sort(compare);
}

export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
