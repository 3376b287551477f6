import type { Resource } from '../../kernel/resource.ts';
import type { Finding, Rule, RuleContext } from '../rule.ts';
import { durationMs } from '../../kernel/duration.ts';

const MIN_MS = 1_000;
/** One upstream attempt; longer than this a hung provider holds sockets and budget. */
const MAX_ATTEMPT_MS = 10 * 60_000;
/** A whole request, retries and fallbacks included. */
const MAX_REQUEST_MS = 15 * 60_000;
/** A remote guardrail check: it runs before the request leaves (and on the answer), adding to every request. */
const MAX_GUARDRAIL_MS = 10_000;
/** Less than a remote call takes: every check times out. */
const MIN_GUARDRAIL_MS = 100;

export const timeoutsBounded: Rule = {
  id: 'timeouts-bounded',
  description:
    'Providers, MCP servers and routes set a timeout between 1s and 10m (attempt) / 15m (route), consistent with each other and the gateway; remote guardrails between 100ms and 10s.',
  rationale:
    'Without an explicit bound, one slow upstream ties up connections, concurrency and rate-limit budget; a route timeout ' +
    "shorter than its provider's attempt timeout, or longer than the gateway's request timeout, silently never applies.",
  defaultSeverity: 'warning',
  reads: { on: ['Provider', 'McpServer', 'Guardrail', 'Route'], kinds: ['Gateway', 'Provider'] },
  *check(ctx) {
    for (const provider of ctx.byKind('Provider')) {
      yield* bounded(provider, provider.value.spec.timeout, `Provider ${provider.name}`, MAX_ATTEMPT_MS);
    }
    for (const server of ctx.byKind('McpServer'))
      yield* bounded(server, server.value.spec.timeout, `MCP server ${server.name}`, MAX_ATTEMPT_MS);
    for (const guardrail of ctx.byKind('Guardrail')) {
      const { timeout, check } = guardrail.value.spec;
      const ms = durationMs(timeout);
      if (ms === undefined || !(check.moderation || check.presidio || check.webhook)) continue;
      if (ms > MAX_GUARDRAIL_MS)
        yield {
          resource: guardrail,
          path: ['spec', 'timeout'],
          message: `Guardrail ${guardrail.name} waits up to ${timeout} for its checker, more than 10s added to each request it checks.`,
          hint: 'Lower `spec.timeout` (the default is 2s) and choose `onError` for when the checker is slower.',
        };
      if (ms < MIN_GUARDRAIL_MS)
        yield {
          resource: guardrail,
          path: ['spec', 'timeout'],
          message: `Guardrail ${guardrail.name} gives its checker ${timeout}, less than a remote call takes (${MIN_GUARDRAIL_MS}ms): every check fails, and with \`onError: deny\` every request is refused.`,
          hint: 'Give the checker what it needs at the 99th percentile (the default is 2s), or remove `spec.timeout`.',
        };
    }
    const gateway = ctx.byKind('Gateway')[0];
    const gatewayMs = durationMs(gateway?.value.spec?.limits?.requestTimeout);
    for (const route of ctx.byKind('Route')) {
      const timeout = route.value.spec.timeout;
      yield* bounded(route, timeout, `Route ${route.name}`, MAX_REQUEST_MS);
      const ms = durationMs(timeout);
      if (ms === undefined) continue;
      if (gatewayMs !== undefined && ms > gatewayMs) {
        yield {
          resource: route,
          path: ['spec', 'timeout'],
          message: `Route ${route.name} allows ${timeout}, more than the gateway's requestTimeout (${gateway!.value.spec.limits!.requestTimeout}), which ends the request first.`,
          hint: 'Lower the route timeout or raise `spec.limits.requestTimeout` of the Gateway.',
        };
      }
      yield* slowerProviders(ctx, route, ms);
    }
  },
};

function* bounded(resource: Finding['resource'], timeout: string | undefined, what: string, maxMs: number): Generator<Finding> {
  const ms = durationMs(timeout);
  if (timeout === undefined) {
    yield { resource, path: ['spec', 'timeout'], message: `${what} sets no timeout.`, hint: 'Set `spec.timeout` (for example `30s`).' };
  } else if (ms !== undefined && (ms < MIN_MS || ms > maxMs)) {
    yield {
      resource,
      path: ['spec', 'timeout'],
      message: `${what} has a timeout of ${timeout}, outside 1s to ${maxMs / 60_000}m.`,
      hint: 'Choose a timeout a client is willing to wait, and no more.',
    };
  }
}

/** A target whose provider attempt may outlast the whole route never gets to retry or fall back. */
function* slowerProviders(ctx: RuleContext, route: Resource<'Route'>, routeMs: number): Generator<Finding> {
  const seen = new Set<string>();
  for (const target of route.value.spec.targets ?? []) {
    if (seen.has(target.provider)) continue;
    seen.add(target.provider);
    const provider = ctx.byId('Provider', target.provider);
    const providerMs = durationMs(provider?.value.spec.timeout);
    if (providerMs === undefined || providerMs <= routeMs) continue;
    yield {
      resource: route,
      path: ['spec', 'timeout'],
      message: `Route ${route.name} times out after ${route.value.spec.timeout}, before one attempt on provider ${target.provider} (${provider!.value.spec.timeout}) can time out.`,
      hint: 'Make the route timeout at least the provider timeout, so that retries and fallbacks can happen.',
    };
  }
}
