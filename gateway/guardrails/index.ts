// The guardrails of one config: a checker per Guardrail (built at load: an unsafe pattern or a missing
// credential fails the load, never a request), and per (access policy, route) the chain that applies, or null
// when none does, so a request without guardrails costs one lookup.
import type { IR, IRAccessPolicy, IRRoute } from '../../compiler/ir/types.ts';
import type { SecretResolver } from '../secrets.ts';
import { createChecker } from './checkers.ts';
import { Guards } from './guards.ts';
import type { Guard } from './run.ts';

/** Without a route (an MCP tool call), the policy's guardrails alone. */
export type GuardsFor = (policy: IRAccessPolicy, route?: IRRoute) => Guards | null;

const NO_ROUTE = {} as IRRoute;

export function createGuardrails(ir: IR, secrets: SecretResolver): GuardsFor {
  const byName = new Map<string, Guard>((ir.guardrails ?? []).map((g) => [g.name, { ir: g, checker: createChecker(g, secrets) }]));
  if (byName.size === 0) return () => null;
  const chains = new Map<IRAccessPolicy, Map<IRRoute, Guards | null>>();
  return (policy, route = NO_ROUTE) => {
    let byRoute = chains.get(policy);
    if (!byRoute) chains.set(policy, (byRoute = new Map()));
    let chain = byRoute.get(route);
    if (chain === undefined) {
      // The policy's first, then the route's; a guardrail named by both runs once, at its first place.
      const names = [...new Set([...(policy.guardrails ?? []), ...(route.guardrails ?? [])])];
      chain = names.length ? new Guards(names.map((n) => byName.get(n)!)) : null;
      byRoute.set(route, chain);
    }
    return chain;
  };
}
