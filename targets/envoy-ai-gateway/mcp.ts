// The MCP servers as one Envoy AI Gateway MCPRoute at `/mcp` (tools named `<server>__<tool>`, as the Node gateway
// names them): a backend per granted server, reached through an Envoy Gateway Backend, its credential injected from
// a Secret, and a tool selector that lets through what some access policy grants. The selector is per server, for
// every client alike: per-consumer grants are the Node gateway's (reported as target findings).
import type { IR, IRMcpGrant, IRMcpServer } from '../../compiler/ir/types.ts';
import { globMatches, isGlob } from '../../kernel/name-glob.ts';
import { parseUpstreamUrl } from '../emit.ts';
import type { TargetFinding } from '../target.ts';
import { apiKeySecret, upstreamBackend } from './backends.ts';
import { AIGW, GATEWAY_API, meta, type Manifest } from './manifest.ts';
import { GATEWAY_NAME } from './routes.ts';

/** The CRD's limit on each list of a tool selector. */
const MAX_SELECTOR_ITEMS = 32;

export function mcpManifests(ir: IR): { manifests: Manifest[]; findings: TargetFinding[] } {
  const grants = new Map<string, IRMcpGrant[]>();
  for (const p of ir.accessPolicies) for (const g of p.mcp?.servers ?? []) grants.set(g.server, [...(grants.get(g.server) ?? []), g]);
  const providers = new Set(ir.providers.map((p) => p.name));
  const findings: TargetFinding[] = [];
  const backendRefs: Record<string, unknown>[] = [];
  const manifests: Manifest[] = [];
  for (const server of ir.mcpServers ?? []) {
    const selector = toolSelector(server, grants.get(server.name) ?? []);
    // A server nobody may use is not exposed (the rule no-unused-mcp-servers says so).
    if (selector === null) continue;
    if (providers.has(server.name)) {
      findings.push({
        ruleId: 'target-limit',
        severity: 'error',
        resource: `McpServer/${server.name}`,
        path: ['metadata', 'name'],
        message: `Envoy AI Gateway names an MCP server's Backend (and its tools' prefix) after the server, and provider ${server.name} already has that Backend name`,
        hint: 'rename the MCP server or the provider',
      });
      continue;
    }
    manifests.push(...upstreamBackend(ir, server.name, server.url));
    backendRefs.push({
      name: server.name,
      kind: 'Backend',
      group: 'gateway.envoyproxy.io',
      path: parseUpstreamUrl(server.url).basePath || '/',
      ...(selector ? { toolSelector: selector } : {}),
      ...(server.credential ? { securityPolicy: { apiKey: apiKeyInjection(ir, server) } } : {}),
    });
  }
  if (backendRefs.length === 0) return { manifests: [], findings };
  const route: Manifest = {
    apiVersion: AIGW,
    kind: 'MCPRoute',
    metadata: meta(ir, `${GATEWAY_NAME}-mcp`),
    spec: { parentRefs: [{ group: GATEWAY_API.split('/')[0], kind: 'Gateway', name: GATEWAY_NAME }], path: '/mcp', backendRefs },
  };
  return { manifests: [route, ...manifests], findings };
}

/** Envoy AI Gateway reads the key from key `apiKey` of a Secret, and sends it as `Authorization: Bearer` unless told a header. */
function apiKeyInjection(ir: IR, server: IRMcpServer): Record<string, unknown> {
  return {
    secretRef: { name: apiKeySecret(server), namespace: ir.gateway.kubernetes.namespace },
    ...(server.credentialHeader === 'authorization' ? {} : { header: server.credentialHeader }),
  };
}

/**
 * What some grant lets through: for a pinned catalogue, its granted tools by name; otherwise the grants' globs as
 * anchored RE2 expressions, with the exclusions when every grant excludes the same. Undefined: every tool;
 * null: none (no grant).
 */
function toolSelector(server: IRMcpServer, grants: readonly IRMcpGrant[]): Record<string, string[]> | undefined | null {
  if (grants.length === 0) return null;
  if (server.tools) {
    const granted = server.tools
      .map((t) => t.name)
      .filter((name) => grants.some((g) => g.tools.some((p) => globMatches(p, name)) && !g.excludeTools.some((p) => globMatches(p, name))));
    if (granted.length === 0) return null;
    return selectorField('include', granted);
  }
  const patterns = [...new Set(grants.flatMap((g) => g.tools))];
  const excluded = grants.every((g) => sameList(g.excludeTools, grants[0].excludeTools)) ? grants[0].excludeTools : [];
  if (patterns.includes('*') && excluded.length === 0) return undefined;
  return {
    ...(patterns.includes('*') ? {} : selectorField('include', patterns)),
    ...(excluded.length ? selectorField('exclude', excluded) : {}),
  };
}

/** Names as a list, or (globs, or more than the CRD's list takes) as one regular expression. */
function selectorField(field: 'include' | 'exclude', patterns: readonly string[]): Record<string, string[]> {
  return patterns.some(isGlob) || patterns.length > MAX_SELECTOR_ITEMS
    ? { [`${field}Regex`]: [regexOf(patterns)] }
    : { [field]: [...patterns] };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const escapeRegex = (s: string) => s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

/** Name globs as one anchored RE2 alternation: `*` any run, `?` one character. */
function regexOf(globs: readonly string[]): string {
  const one = (g: string) => [...g].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegex(c))).join('');
  return `^(?:${globs.map(one).join('|')})$`;
}
