// A provider's circuit breaker as its Envoy cluster's outlier detection: a host that fails `consecutiveFailures`
// times in a row, or in `failureRatio` of at least `minimumRequests` requests of a `window` interval, is ejected for
// `openFor` (always that long: Envoy's growing ejection time is capped at it). A provider cluster has one host, so
// the panic threshold is 0: otherwise Envoy would send to an ejected host as soon as no host is healthy.
import type { IRCircuitBreaker } from '../../compiler/ir/types.ts';
import { protoDuration } from '../emit.ts';
import type { Json } from './config.ts';

/** Cluster fields for a provider's breaker; none when it is off. */
export function clusterBreaker(cb: IRCircuitBreaker): Json {
  if (!cb.enabled) return {};
  return {
    outlier_detection: {
      // Counts 5xx answers, and (origin errors not split out) connect failures, resets and timeouts as 5xx.
      consecutive_5xx: cb.consecutiveFailures,
      interval: protoDuration(cb.windowMs),
      base_ejection_time: protoDuration(cb.openForMs),
      max_ejection_time: protoDuration(cb.openForMs),
      max_ejection_percent: 100,
      failure_percentage_threshold: Math.round(cb.failureRatio * 100),
      enforcing_failure_percentage: 100,
      failure_percentage_minimum_hosts: 1,
      failure_percentage_request_volume: cb.minimumRequests,
      // Success-rate ejection compares hosts with each other; a provider cluster has one.
      enforcing_success_rate: 0,
    },
    common_lb_config: { healthy_panic_threshold: { value: 0 } },
    circuit_breakers: {
      // Envoy's default lets 3 retries be in flight per cluster and refuses the others (upstream_rq_retry_overflow):
      // while a provider fails under load, retries the route asks for would be refused. A budget of a fifth of the
      // requests in flight scales with load instead.
      thresholds: [
        { priority: 'DEFAULT', retry_budget: { budget_percent: { value: 20 }, min_retry_concurrency: 3 }, track_remaining: true },
      ],
    },
  };
}
