// Front mode: Envoy terminates TLS, verifies JWTs where it can and applies a coarse request ceiling; the Node
// gateways behind it do the model logic (routing, fallbacks, per-consumer limits, budgets, redaction, cache).
import type { IR } from '../../compiler/ir/types.ts';
import { ENVOY_TLS_DIR } from '../emit.ts';
import { grantedNames } from '../../kernel/grants.ts';
import { consumersOf } from '../../kernel/subjects.ts';
import { limitCeiling } from '../limits.ts';
import { jwtAuth } from './auth.ts';
import {
  GATEWAY_CLUSTER,
  RATE_LIMIT_FILTER,
  TYPE,
  bootstrap,
  directRoute,
  gatewayClusterConfig,
  gatewayTimeout,
  localRateLimit,
  openAIError,
  sdsFile,
  sdsResource,
  sdsSecretConfig,
  typed,
  type EnvoyConfig,
  type Json,
} from './config.ts';
import { mcpRoutes } from './mcp.ts';

const TLS_SECRET = 'listener-tls';
/** Probes stay reachable without a token. */
const OPEN_PATHS = ['/healthz', '/readyz'];

export function frontConfig(ir: IR): EnvoyConfig {
  const auth = jwtAuth(ir, OPEN_PATHS);
  const ceiling = limitCeiling(
    ir.accessPolicies.filter((p) => grantedNames(p.routes, ir.routes).length + grantedNames(p.prompts, ir.prompts).length > 0),
    'requestsPerMinute',
    consumersOf(ir),
  );
  const routes: Json[] = [
    // Metrics are for the cluster's Prometheus, not for clients coming through Envoy.
    ...(ir.gateway.metrics.enabled
      ? [directRoute('metrics', { path: ir.gateway.metrics.path }, 404, openAIError('Not found.', 'invalid_request_error', null))]
      : []),
    ...OPEN_PATHS.map((path) => ({ name: path.slice(1), match: { path }, route: { cluster: GATEWAY_CLUSTER, timeout: '5s' } })),
    ...mcpRoutes(ir),
    {
      name: 'gateway',
      match: { prefix: '/' },
      route: {
        cluster: GATEWAY_CLUSTER,
        timeout: gatewayTimeout(ir.gateway.limits.requestTimeoutMs),
        // Only failures where the request never reached a gateway: anything else may already have been billed.
        retry_policy: { retry_on: 'connect-failure,refused-stream', num_retries: 2 },
      },
      ...(ceiling !== undefined ? { typed_per_filter_config: { [RATE_LIMIT_FILTER]: localRateLimit('gateway_limit', ceiling) } } : {}),
    },
  ];
  const httpFilters: Json[] = [
    ...(auth.filter ? [auth.filter] : []),
    ...(ceiling !== undefined
      ? [{ name: RATE_LIMIT_FILTER, typed_config: typed(TYPE.localRateLimit, { stat_prefix: 'gateway_limit' }) }]
      : []),
  ];
  const tls = typed(TYPE.downstreamTls, {
    common_tls_context: {
      tls_certificate_sds_secret_configs: [sdsSecretConfig(TLS_SECRET, ENVOY_TLS_DIR)],
      alpn_protocols: ['h2', 'http/1.1'],
    },
  });
  return {
    bootstrap: bootstrap(ir, {
      routes,
      httpFilters,
      clusters: [gatewayClusterConfig(ir)],
      transportSocket: { name: 'envoy.transport_sockets.tls', typed_config: tls },
    }),
    sds: {
      [sdsFile(TLS_SECRET)]: sdsResource({
        name: TLS_SECRET,
        tls_certificate: {
          certificate_chain: { filename: `${ENVOY_TLS_DIR}/tls.crt` },
          private_key: { filename: `${ENVOY_TLS_DIR}/tls.key` },
        },
      }),
    },
    credentials: [],
    findings: auth.findings,
  };
}
