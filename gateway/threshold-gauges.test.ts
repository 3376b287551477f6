// The config's limits as the gateway serves them on /metrics, for the generated alerts to compare usage with: each
// route's timeout (within the request timeout), each budgeted or token-limited policy's limit, replaced on reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IR } from '../compiler/ir/types.ts';
import { startTestGateway, type TestGateway, UPSTREAM_KEYS } from '../test/support/gateway-fixture.ts';
import { KEYS } from '../test/support/ir-fixture.ts';
import { parseSecretRef } from '../kernel/secret-env.ts';

let t: TestGateway;
let loaded: IR;
beforeAll(async () => {
  t = await startTestGateway((ir) => {
    ir.routes.push({ ...ir.routes[0]!, name: 'slow', timeoutMs: 120_000 }); // over the 30 s request timeout
    ir.accessPolicies.find((p) => p.name === 'everything')!.limits = { monthlyBudgetUsd: 50, tokensPerMinute: 20_000 };
    loaded = ir;
  });
});
afterAll(() => t?.close());

/** The scraped lines of the threshold gauges, as Prometheus reads them over HTTP. */
async function gauges(): Promise<string[]> {
  const text = await (await fetch(`${t.gateway.url}${t.gateway.ir.gateway.metrics.path}`)).text();
  return text
    .split('\n')
    .filter((line) => /^modelgate_(route_timeout_seconds|policy_monthly_budget_usd|policy_tokens_per_minute)\{/.test(line));
}

describe('threshold gauges', () => {
  it("serve each route's timeout and each limited policy's limits from the config at load", async () => {
    expect((await gauges()).sort()).toEqual([
      'modelgate_policy_monthly_budget_usd{policy="everything"} 50',
      'modelgate_policy_tokens_per_minute{policy="everything"} 20000',
      'modelgate_route_timeout_seconds{route="bedrock"} 10',
      'modelgate_route_timeout_seconds{route="cached"} 10',
      'modelgate_route_timeout_seconds{route="chat"} 10',
      'modelgate_route_timeout_seconds{route="claude"} 10',
      'modelgate_route_timeout_seconds{route="embed"} 10',
      'modelgate_route_timeout_seconds{route="gemini"} 10',
      // The gateway cuts a call at its request timeout whatever the route says.
      'modelgate_route_timeout_seconds{route="slow"} 30',
    ]);
    const text = await t.gateway.metrics.text();
    expect(text).toContain('# TYPE modelgate_route_timeout_seconds gauge');
    for (const secret of [...Object.values(UPSTREAM_KEYS), ...Object.values(KEYS)]) expect(text).not.toContain(secret);
  });

  it('are replaced by a reload: a removed route or limit is gone, a changed one changes; a refused config changes nothing', async () => {
    const next = structuredClone(loaded);
    next.routes = next.routes.filter((r) => r.name !== 'slow' && r.name !== 'cached');
    next.accessPolicies.find((p) => p.name === 'everything')!.routes = ['chat', 'claude', 'embed'];
    next.accessPolicies.find((p) => p.name === 'everything')!.limits = { monthlyBudgetUsd: 80 };
    next.accessPolicies.find((p) => p.name === 'limited')!.limits = { requestsPerMinute: 2, tokensPerMinute: 500 };
    next.routes.find((r) => r.name === 'chat')!.timeoutMs = 4_500;
    t.gateway.reload(next);
    const expected = [
      'modelgate_policy_monthly_budget_usd{policy="everything"} 80',
      'modelgate_policy_tokens_per_minute{policy="limited"} 500',
      'modelgate_route_timeout_seconds{route="bedrock"} 10',
      'modelgate_route_timeout_seconds{route="chat"} 4.5',
      'modelgate_route_timeout_seconds{route="claude"} 10',
      'modelgate_route_timeout_seconds{route="embed"} 10',
      'modelgate_route_timeout_seconds{route="gemini"} 10',
    ];
    expect((await gauges()).sort()).toEqual(expected);

    const refused = structuredClone(next);
    refused.routes.push({ ...refused.routes[0]!, name: 'extra' });
    refused.providers[0]!.credential = parseSecretRef('env:NOT_SET_ANYWHERE');
    expect(() => t.gateway.reload(refused)).toThrow(/NOT_SET_ANYWHERE/);
    expect((await gauges()).sort()).toEqual(expected);
  });
});
