// The full, uncollapsed graph of one environment's IR: every consumer, policy, prompt, route, used model
// and provider, with the edges along which a request can travel.
import picomatch from 'picomatch';
import type { IR, IRGuardrail, IRMcpGrant, IRMcpServer, IRModel, IRModelRef, IRRoute } from '../../compiler/ir/types.ts';
import { grantedNames } from '../../kernel/grants.ts';
import { consumersOf } from '../../kernel/subjects.ts';
import { sortGraph, type Graph, type GraphEdge, type GraphNode, type Waiver } from './model.ts';

export const modelKey = (ref: IRModelRef): string => `Model/${ref.provider}/${ref.model}`;

export function graphFromIR(ir: IR, waivers: readonly Waiver[] = []): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const consumers = new Set(ir.consumers.map((c) => c.name));

  for (const c of ir.consumers) {
    nodes.push({ key: `Consumer/${c.name}`, kind: 'consumer', label: c.name, details: [], team: c.labels.team });
  }
  const subjects = consumersOf(ir);
  for (const p of ir.accessPolicies) {
    const budget = p.limits.monthlyBudgetUsd;
    nodes.push({
      key: `AccessPolicy/${p.name}`,
      kind: 'policy',
      label: p.name,
      details: budget === undefined ? [] : [`budget $${formatNumber(budget)}/month`],
    });
    for (const c of subjects(p)) {
      if (consumers.has(c)) edges.push({ from: `Consumer/${c}`, to: `AccessPolicy/${p.name}`, kind: 'grants' });
    }
    for (const r of grantedNames(p.routes, ir.routes)) edges.push({ from: `AccessPolicy/${p.name}`, to: `Route/${r}`, kind: 'grants' });
    for (const q of grantedNames(p.prompts, ir.prompts)) edges.push({ from: `AccessPolicy/${p.name}`, to: `Prompt/${q}`, kind: 'grants' });
    for (const g of p.mcp?.servers ?? [])
      edges.push({ from: `AccessPolicy/${p.name}`, to: `McpServer/${g.server}`, kind: 'grants', label: grantLabel(g) });
    guardedBy(edges, `AccessPolicy/${p.name}`, p.guardrails);
  }
  for (const q of ir.prompts) {
    // Which of several versions is live (or how they are split) is worth seeing; a lone v1 is not.
    const total = q.serve.reduce((sum, s) => sum + s.weight, 0);
    const served = q.serve.filter((s) => s.weight > 0).map((s) => `${s.version} ${share(s.weight, total)}`);
    const split = Object.keys(q.versions).length > 1 ? [`serves ${served.join(' · ')}`] : [];
    // A prompt with an endpoint of its own is an API: its path, and whether it answers a JSON contract.
    const api = q.expose ? [`${q.expose.method} ${q.expose.path}${q.expose.response ? ' → JSON' : ''}`] : [];
    nodes.push({ key: `Prompt/${q.name}`, kind: 'prompt', label: q.name, details: [...api, ...split] });
    edges.push({ from: `Prompt/${q.name}`, to: `Route/${q.route}`, kind: 'runs-on' });
  }
  const usedModels = new Map<string, IRModelRef>();
  for (const r of ir.routes) {
    nodes.push({ key: `Route/${r.name}`, kind: 'route', label: r.name, details: routeDetails(r) });
    guardedBy(edges, `Route/${r.name}`, r.guardrails);
    const total = r.targets.reduce((sum, t) => sum + t.weight, 0);
    for (const t of r.targets) {
      edges.push({ from: `Route/${r.name}`, to: modelKey(t), kind: 'target', label: share(t.weight, total) });
      usedModels.set(modelKey(t), t);
    }
    for (const [i, f] of r.fallbacks.entries()) {
      edges.push({ from: `Route/${r.name}`, to: modelKey(f), kind: 'fallback', label: `fallback ${i + 1}` });
      usedModels.set(modelKey(f), f);
    }
  }
  const models = new Map(ir.providers.flatMap((p) => p.models.map((m) => [modelKey({ provider: p.name, model: m.name }), m])));
  for (const [key, ref] of usedModels) {
    const model = models.get(key);
    nodes.push({ key, kind: 'model', label: ref.model, details: model ? modelDetails(model) : [] });
    edges.push({ from: key, to: `Provider/${ref.provider}`, kind: 'hosted-by' });
  }
  for (const p of ir.providers) {
    nodes.push({ key: `Provider/${p.name}`, kind: 'provider', label: p.name, details: p.type === p.name ? [] : [p.type] });
  }
  for (const s of ir.mcpServers ?? [])
    nodes.push({ key: `McpServer/${s.name}`, kind: 'mcp-server', label: s.name, details: mcpServerDetails(s) });
  for (const g of ir.guardrails ?? [])
    nodes.push({ key: `Guardrail/${g.name}`, kind: 'guardrail', label: g.name, details: [guardrailDetails(g)] });
  return sortGraph({ nodes: markWaived(nodes, waivers), edges, notes: [] });
}

/** Aliases beyond this many are counted, not named: the node stays readable. */
const ALIASES_SHOWN = 4;

function routeDetails(route: IRRoute): string[] {
  const details = route.type === 'chat' ? [] : [`type: ${route.type}`];
  const aliases = [...(route.aliases?.exact ?? []), ...(route.aliases?.patterns ?? [])];
  if (aliases.length === 0) return details;
  const more = aliases.length > ALIASES_SHOWN ? ` +${aliases.length - ALIASES_SHOWN} more` : '';
  return [...details, `aliases: ${aliases.slice(0, ALIASES_SHOWN).join(', ')}${more}`];
}

/** Weights are relative; people read shares. */
function share(weight: number, total: number): string {
  return total > 0 ? `${formatNumber(Math.round((weight / total) * 1000) / 10)}%` : `weight ${weight}`;
}

function modelDetails(model: IRModel): string[] {
  const details: string[] = [];
  if (model.inputPricePer1M !== null || model.outputPricePer1M !== null) {
    details.push(`$${formatNumber(model.inputPricePer1M ?? 0)} in / $${formatNumber(model.outputPricePer1M ?? 0)} out per 1M`);
  }
  if (model.deprecated) details.push('deprecated');
  return details;
}

/** What a reviewer must see on the edge: the tools, minus exclusions (a changed grant is a changed edge). */
function grantLabel(g: IRMcpGrant): string {
  const excluded = g.excludeTools.length ? ` except ${g.excludeTools.join(', ')}` : '';
  return `tools ${g.tools.join(', ')}${excluded}`;
}

function mcpServerDetails(s: IRMcpServer): string[] {
  if (!s.tools) return ['MCP, catalogue not pinned'];
  const destructive = s.tools.filter((t) => t.risk === 'destructive').length;
  return [`MCP, ${s.tools.length} tools pinned${destructive ? ` (${destructive} destructive)` : ''}`];
}

/** The guardrails a policy or a route runs, in order (a policy's run before its routes'). */
function guardedBy(edges: GraphEdge[], from: string, names: readonly string[] | undefined): void {
  for (const [i, name] of (names ?? []).entries()) edges.push({ from, to: `Guardrail/${name}`, kind: 'guarded-by', label: `run ${i + 1}` });
}

/** `pii, mask on request`: what a reviewer must see change. */
function guardrailDetails(g: IRGuardrail): string {
  const stage = g.stage === 'both' ? 'request + response' : g.stage;
  return `${g.check.type}, ${g.action} on ${stage}`;
}

function markWaived(nodes: GraphNode[], waivers: readonly Waiver[]): GraphNode[] {
  if (waivers.length === 0) return nodes;
  const matchers = waivers.map((w) => ({ rule: w.rule, matches: picomatch(w.resources) }));
  return nodes.map((node) => {
    const rules = [...new Set(matchers.filter((m) => m.matches(node.key)).map((m) => m.rule))].sort();
    return rules.length ? { ...node, waivedRules: rules } : node;
  });
}

/** `1500`, `0.15`, `2.5`: no trailing zeros, no exponent, no locale. */
export function formatNumber(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}
