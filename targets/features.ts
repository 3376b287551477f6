// Where a config uses a feature, so that a target which cannot express it can say so on the right resource.
import type { DocPath } from '../kernel/resource.ts';
import type { IR, IRRoute } from '../compiler/ir/types.ts';
import type { TargetFinding, TargetRuleId } from './target.ts';

export type Feature =
  | 'prompts'
  | 'fallbacks'
  | 'priorityStrategy'
  | 'lowestCostStrategy'
  | 'lowestLatencyStrategy'
  | 'circuitBreakers'
  | 'cache'
  | 'maxTokens'
  | 'aliases'
  | 'apiKeys'
  | 'grants'
  | 'allowedModels'
  | 'requestLimits'
  | 'tokenLimits'
  | 'budgets'
  | 'redaction'
  | 'guardrails'
  | 'jwtSecrets'
  | 'mcpServers'
  | 'mcpGrants'
  | 'mcpCallLimits'
  | 'mcpRedaction'
  | 'mcpPinnedDescriptions'
  | 'telemetry';

interface Use {
  resource: string;
  path: DocPath;
  /** What the config asks for, as a noun phrase. */
  what: string;
}

function uses(ir: IR, feature: Feature): Use[] {
  const gateway = `Gateway/${ir.gateway.name}`;
  switch (feature) {
    case 'prompts':
      return ir.prompts.map((p) => ({ resource: `Prompt/${p.name}`, path: ['spec'], what: `prompt template ${p.name}` }));
    case 'fallbacks':
      return ir.routes
        .filter((r) => r.fallbacks.length > 0)
        .map((r) => ({ resource: `Route/${r.name}`, path: ['spec', 'fallbacks'], what: `fallbacks of route ${r.name}` }));
    case 'priorityStrategy':
      return strategyUses(ir, 'priority');
    case 'lowestCostStrategy':
      return strategyUses(ir, 'lowest-cost');
    case 'lowestLatencyStrategy':
      return strategyUses(ir, 'lowest-latency');
    case 'circuitBreakers':
      return ir.providers
        .filter((p) => p.circuitBreaker.enabled)
        .map((p) => ({
          resource: `Provider/${p.name}`,
          path: ['spec', 'circuitBreaker'],
          what: `the circuit breakers of provider ${p.name}`,
        }));
    case 'cache':
      return ir.routes
        .filter((r) => r.cache.enabled)
        .map((r) => ({ resource: `Route/${r.name}`, path: ['spec', 'cache'], what: `response cache of route ${r.name}` }));
    case 'maxTokens':
      return ir.routes
        .filter((r) => r.maxTokens !== undefined)
        .map((r) => ({ resource: `Route/${r.name}`, path: ['spec', 'maxTokens'], what: `maxTokens of route ${r.name}` }));
    case 'aliases':
      return ir.routes
        .filter((r) => r.aliases !== undefined)
        .map((r) => ({ resource: `Route/${r.name}`, path: ['spec', 'aliases'], what: `aliases of route ${r.name}` }));
    case 'apiKeys':
      return ir.consumers
        .filter((c) => c.apiKeys.length > 0)
        .map((c) => ({ resource: `Consumer/${c.name}`, path: ['spec', 'apiKeys'], what: `API keys of consumer ${c.name}` }));
    case 'grants':
      return ir.accessPolicies.map((p) => ({
        resource: `AccessPolicy/${p.name}`,
        path: ['spec', 'subjects'],
        what: `grants of access policy ${p.name}`,
      }));
    case 'allowedModels':
      return ir.accessPolicies
        .filter((p) => p.allowedModels !== undefined)
        .map((p) => ({
          resource: `AccessPolicy/${p.name}`,
          path: ['spec', 'allowedModels'],
          what: `allowedModels of access policy ${p.name}`,
        }));
    case 'requestLimits':
      return limitUses(ir, 'requestsPerMinute', 'requests per minute');
    case 'tokenLimits':
      return limitUses(ir, 'tokensPerMinute', 'tokens per minute');
    case 'budgets':
      return limitUses(ir, 'monthlyBudgetUsd', 'monthly budget');
    case 'redaction':
      return ir.accessPolicies
        .filter((p) => p.redaction.pii.length + p.redaction.patterns.length > 0)
        .map((p) => ({ resource: `AccessPolicy/${p.name}`, path: ['spec', 'redaction'], what: `redaction of access policy ${p.name}` }));
    case 'guardrails':
      return [
        ...ir.accessPolicies
          .filter((p) => p.guardrails)
          .map((p) => ({
            resource: `AccessPolicy/${p.name}`,
            path: ['spec', 'guardrails'],
            what: `guardrails of access policy ${p.name}`,
          })),
        ...ir.routes
          .filter((r) => r.guardrails)
          .map((r) => ({ resource: `Route/${r.name}`, path: ['spec', 'guardrails'], what: `guardrails of route ${r.name}` })),
      ];
    case 'mcpServers':
      return (ir.mcpServers ?? []).map((s) => ({ resource: `McpServer/${s.name}`, path: ['spec'], what: `MCP server ${s.name}` }));
    case 'mcpGrants':
      return ir.accessPolicies
        .filter((p) => p.mcp?.servers.length)
        .map((p) => ({
          resource: `AccessPolicy/${p.name}`,
          path: ['spec', 'mcp', 'servers'],
          what: `MCP grants of access policy ${p.name}`,
        }));
    case 'mcpCallLimits':
      return ir.accessPolicies
        .filter((p) => p.mcp?.callsPerMinute !== undefined)
        .map((p) => ({
          resource: `AccessPolicy/${p.name}`,
          path: ['spec', 'mcp', 'callsPerMinute'],
          what: `tool calls per minute of access policy ${p.name}`,
        }));
    case 'mcpRedaction':
      return ir.accessPolicies
        .filter((p) => p.mcp?.redactArguments)
        .map((p) => ({
          resource: `AccessPolicy/${p.name}`,
          path: ['spec', 'mcp', 'redactArguments'],
          what: `redaction of tool arguments of access policy ${p.name}`,
        }));
    case 'mcpPinnedDescriptions':
      return (ir.mcpServers ?? [])
        .filter((s) => s.tools?.some((t) => t.description !== undefined))
        .map((s) => ({
          resource: `McpServer/${s.name}`,
          path: ['spec', 'tools'],
          what: `the pinned tool descriptions of MCP server ${s.name}`,
        }));
    case 'telemetry':
      return ir.gateway.telemetry
        ? [
            {
              resource: gateway,
              path: ['spec', 'telemetry', 'otlp'],
              what: `the OTLP trace export to ${ir.gateway.telemetry.otlp.endpoint}`,
            },
          ]
        : [];
    case 'jwtSecrets':
      return ir.gateway.auth.jwt.flatMap((j, i) =>
        j.secret ? [{ resource: gateway, path: ['spec', 'auth', 'jwt', i, 'secret'], what: `shared-secret JWT issuer ${j.issuer}` }] : [],
      );
  }
}

function strategyUses(ir: IR, strategy: IRRoute['strategy']): Use[] {
  return ir.routes
    .filter((r) => r.strategy === strategy)
    .map((r) => ({ resource: `Route/${r.name}`, path: ['spec', 'strategy'], what: `the ${strategy} strategy of route ${r.name}` }));
}

function limitUses(ir: IR, key: 'requestsPerMinute' | 'tokensPerMinute' | 'monthlyBudgetUsd', label: string): Use[] {
  return ir.accessPolicies
    .filter((p) => p.limits[key] !== undefined)
    .map((p) => ({ resource: `AccessPolicy/${p.name}`, path: ['spec', 'limits', key], what: `${label} limit of access policy ${p.name}` }));
}

/**
 * One warning per use of each feature a target cannot express (or only approximates). `consequences` says, per
 * feature, what the target does instead; the finding names the resource and the path of the setting.
 */
export function featureFindings(
  ir: IR,
  target: string,
  consequences: Partial<Record<Feature, string>>,
  ruleId: TargetRuleId = 'target-unsupported',
): TargetFinding[] {
  return (Object.entries(consequences) as [Feature, string][]).flatMap(([feature, consequence]) =>
    uses(ir, feature).map((u) => ({
      ruleId,
      severity: 'warning' as const,
      message: `the ${target} target cannot express ${u.what}: ${consequence}`,
      resource: u.resource,
      path: u.path,
    })),
  );
}
