// Reading config.json: the compiler's IR, serialised. The runtime trusts the compiler for the details but checks
// what would otherwise fail obscurely mid-request: the IR version and every cross-reference.
import type { IR } from '../compiler/ir/types.ts';

export const IR_VERSION = 3;

/** A config the gateway refuses; the message says what is wrong and what to do. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseConfig(text: string, source: string): IR {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${source} is not valid JSON (${(err as Error).message}).`);
  }
  const ir = value as IR;
  if (!ir || typeof ir !== 'object' || Array.isArray(ir))
    throw new ConfigError(`${source} must hold a JSON object (the output of \`modelgate build\`).`);
  if (ir.irVersion !== IR_VERSION) {
    throw new ConfigError(
      `${source} has irVersion ${JSON.stringify(ir.irVersion)}; this gateway reads irVersion ${IR_VERSION}. Build config.json and gateway.mjs with the same modelgate version.`,
    );
  }
  const problems = checkReferences(ir);
  if (problems.length) throw new ConfigError(`${source} is inconsistent: ${problems.join('; ')}. Rebuild it with \`modelgate build\`.`);
  return ir;
}

function checkReferences(ir: IR): string[] {
  const problems: string[] = [];
  for (const key of ['providers', 'routes', 'prompts', 'consumers', 'accessPolicies'] as const) {
    if (!Array.isArray(ir[key])) problems.push(`"${key}" must be an array`);
  }
  if (!ir.gateway || typeof ir.gateway !== 'object') problems.push('"gateway" is missing');
  if (problems.length) return problems;
  const models = new Map(ir.providers.map((p) => [p.name, new Set((p.models ?? []).map((m) => m.name))]));
  const routes = new Set(ir.routes.map((r) => r.name));
  for (const r of ir.routes) {
    for (const ref of [...(r.targets ?? []), ...(r.fallbacks ?? [])]) {
      if (!models.get(ref.provider)?.has(ref.model))
        problems.push(`route "${r.name}" names ${ref.provider}/${ref.model}, which no provider serves`);
    }
    if (!r.targets?.length) problems.push(`route "${r.name}" has no targets`);
  }
  const exposed = new Map<string, string>();
  for (const p of ir.prompts) {
    // Two prompts on one path: one would never be reached (the compiler refuses it; a hand-edited config may not).
    const path = p.expose?.path;
    if (path !== undefined && exposed.has(path))
      problems.push(`prompts "${exposed.get(path)}" and "${p.name}" are both exposed at ${path}`);
    if (path !== undefined) exposed.set(path, p.name);
    if (!routes.has(p.route)) problems.push(`prompt "${p.name}" runs on route "${p.route}", which does not exist`);
    for (const s of p.serve ?? [])
      if (!p.versions?.[s.version]) problems.push(`prompt "${p.name}" serves version "${s.version}", which it does not define`);
  }
  const mcpServers = new Set((ir.mcpServers ?? []).map((s) => s.name));
  for (const p of ir.accessPolicies) {
    for (const g of p.mcp?.servers ?? [])
      if (!mcpServers.has(g.server)) problems.push(`access policy "${p.name}" grants MCP server "${g.server}", which does not exist`);
  }
  return problems;
}
