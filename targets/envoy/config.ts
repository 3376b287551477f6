// Building blocks of an Envoy v3 static bootstrap, shared by the direct and front modes.
// Field names are the protos' (snake_case); tests decode the result strictly against Envoy's own protos.
import type { IR } from '../../compiler/ir/types.ts';
import type { TargetFinding } from '../target.ts';
import { ENVOY_CONFIG_DIR, GATEWAY_SERVICE, parseUpstreamUrl, protoDuration } from '../emit.ts';

export type Json = Record<string, unknown>;

/** What one mode produces: the bootstrap, the SDS files it reads, and the credential files it expects. */
export interface EnvoyConfig {
  bootstrap: Json;
  /** Relative path (`sds/<name>.yaml`) to an SDS discovery response. */
  sds: Record<string, Json>;
  credentials: { provider: string; file: string; value: string }[];
  findings: TargetFinding[];
}

export const TYPE = {
  hcm: 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
  router: 'envoy.extensions.filters.http.router.v3.Router',
  lua: 'envoy.extensions.filters.http.lua.v3.Lua',
  luaPerRoute: 'envoy.extensions.filters.http.lua.v3.LuaPerRoute',
  localRateLimit: 'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
  jwtAuthn: 'envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication',
  credentialInjector: 'envoy.extensions.filters.http.credential_injector.v3.CredentialInjector',
  genericCredential: 'envoy.extensions.http.injected_credentials.generic.v3.Generic',
  filterConfig: 'envoy.config.route.v3.FilterConfig',
  stdoutLog: 'envoy.extensions.access_loggers.stream.v3.StdoutAccessLog',
  upstreamTls: 'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
  downstreamTls: 'envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
  secret: 'envoy.extensions.transport_sockets.tls.v3.Secret',
} as const;

/** A `google.protobuf.Any` in protobuf JSON. */
export const typed = (type: string, body: Json = {}): Json => ({ '@type': `type.googleapis.com/${type}`, ...body });

/** The header clients (or the Node gateway) put the public model name in. */
export const MODEL_HEADER = 'x-ai-model';
/** The cluster of the Node gateways (front mode, and what direct mode delegates). */
export const GATEWAY_CLUSTER = GATEWAY_SERVICE;
/** Envoy waits a little longer than the Node gateways, so that their own timeout answer reaches the client. */
const GATEWAY_TIMEOUT_MARGIN_MS = 5000;
/** The route timeout of what Envoy sends the Node gateways, whose own deadline is `gatewayMs`. */
export const gatewayTimeout = (gatewayMs: number): string => protoDuration(gatewayMs + GATEWAY_TIMEOUT_MARGIN_MS);
export const providerCluster = (provider: string): string => `provider-${provider}`;

const json = { 'content-type': 'application/json' };

/** An OpenAI-style error body. */
export function openAIError(message: string, type: string, code: string | null): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

export function setHeaders(headers: Record<string, string>): Json[] {
  return Object.keys(headers)
    .sort()
    .map((key) => ({ header: { key, value: headers[key] }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }));
}

/** A route answering from Envoy itself with a JSON body. */
export function directRoute(name: string, match: Json, status: number, body: string): Json {
  return { name, match, direct_response: { status, body: { inline_string: body } }, response_headers_to_add: setHeaders(json) };
}

export function notFoundRoute(): Json {
  const message = `No route for this request. Send an OpenAI-style request with the ${MODEL_HEADER} header set to a model this gateway serves (GET /v1/models lists them).`;
  return directRoute('not-found', { prefix: '/' }, 404, openAIError(message, 'invalid_request_error', 'model_not_found'));
}

/** The OpenAI `GET /v1/models` answer, static: the public model names are known at build time. */
export function modelsRoute(names: readonly string[]): Json {
  const body = JSON.stringify({ object: 'list', data: names.map((id) => ({ id, object: 'model', created: 0, owned_by: 'modelgate' })) });
  return directRoute('models', { path: '/v1/models', headers: [{ name: ':method', string_match: { exact: 'GET' } }] }, 200, body);
}

/** The HTTP filter of local rate limits, named in the filter chain and in per-route configs. */
export const RATE_LIMIT_FILTER = 'envoy.filters.http.local_ratelimit';

/** A token bucket that really limits: `filter_enabled`/`filter_enforced` default to 0 %, which limits nothing. */
export function localRateLimit(statPrefix: string, requestsPerMinute: number): Json {
  const always = { default_value: { numerator: 100, denominator: 'HUNDRED' } };
  return typed(TYPE.localRateLimit, {
    stat_prefix: statPrefix,
    token_bucket: { max_tokens: requestsPerMinute, tokens_per_fill: requestsPerMinute, fill_interval: '60s' },
    filter_enabled: always,
    filter_enforced: always,
    response_headers_to_add: setHeaders({ 'x-modelgate-ratelimited': 'envoy' }),
  });
}

/** One access-log line per request, as JSON on stdout. Never the Authorization header or bodies. */
const ACCESS_LOG_FIELDS: Record<string, string> = {
  time: '%START_TIME%',
  method: '%REQ(:METHOD)%',
  path: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
  model: `%REQ(${MODEL_HEADER.toUpperCase()})%`,
  route: '%ROUTE_NAME%',
  status: '%RESPONSE_CODE%',
  flags: '%RESPONSE_FLAGS%',
  upstream_cluster: '%UPSTREAM_CLUSTER%',
  upstream_host: '%UPSTREAM_HOST%',
  duration_ms: '%DURATION%',
  bytes_received: '%BYTES_RECEIVED%',
  bytes_sent: '%BYTES_SENT%',
  request_id: '%REQ(X-REQUEST-ID)%',
  client: '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%',
};

export interface ListenerParts {
  /** Routes in match order; the last should catch everything. */
  routes: Json[];
  /** HTTP filters before the router, in order. */
  httpFilters: Json[];
  clusters: Json[];
  perConnectionBufferBytes?: number;
  transportSocket?: Json;
}

export function bootstrap(ir: IR, parts: ListenerParts): Json {
  const hcm = typed(TYPE.hcm, {
    stat_prefix: 'modelgate',
    codec_type: 'AUTO',
    use_remote_address: true,
    normalize_path: true,
    merge_slashes: true,
    request_headers_timeout: protoDuration(ir.gateway.limits.headersTimeoutMs),
    common_http_protocol_options: { headers_with_underscores_action: 'REJECT_REQUEST' },
    access_log: [
      { name: 'envoy.access_loggers.stdout', typed_config: typed(TYPE.stdoutLog, { log_format: { json_format: ACCESS_LOG_FIELDS } }) },
    ],
    route_config: { name: 'modelgate', virtual_hosts: [{ name: 'modelgate', domains: ['*'], routes: parts.routes }] },
    http_filters: [...parts.httpFilters, { name: 'envoy.filters.http.router', typed_config: typed(TYPE.router) }],
  });
  const listener: Json = {
    name: 'modelgate',
    address: socketAddress('0.0.0.0', ir.gateway.envoy.port),
    filter_chains: [
      {
        filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: hcm }],
        ...(parts.transportSocket ? { transport_socket: parts.transportSocket } : {}),
      },
    ],
    ...(parts.perConnectionBufferBytes ? { per_connection_buffer_limit_bytes: parts.perConnectionBufferBytes } : {}),
  };
  return {
    admin: { address: socketAddress('127.0.0.1', ir.gateway.envoy.adminPort) },
    static_resources: { listeners: [listener], clusters: parts.clusters },
  };
}

function socketAddress(address: string, port: number): Json {
  return { socket_address: { address, port_value: port } };
}

function cluster(name: string, type: string, host: string, port: number, extra: Json = {}): Json {
  return {
    name,
    type,
    connect_timeout: '5s',
    dns_lookup_family: 'V4_PREFERRED',
    load_assignment: {
      cluster_name: name,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress(host, port), hostname: host } }] }],
    },
    ...extra,
  };
}

/**
 * A provider's cluster: LOGICAL_DNS for public HTTPS APIs (one connection target behind a CDN), STRICT_DNS for
 * plain-HTTP in-cluster servers (every resolved address is balanced), STATIC for IP literals; TLS verifies the
 * certificate against the system CAs and the host name.
 */
export function providerClusterConfig(name: string, baseUrl: string, extra: Json = {}): Json {
  const url = parseUpstreamUrl(baseUrl);
  const type = url.isIp ? 'STATIC' : url.https ? 'LOGICAL_DNS' : 'STRICT_DNS';
  if (!url.https) return cluster(name, type, url.host, url.port, extra);
  const tls = typed(TYPE.upstreamTls, {
    ...(url.isIp ? {} : { sni: url.host }),
    common_tls_context: {
      validation_context: {
        trusted_ca: { filename: '/etc/ssl/certs/ca-certificates.crt' },
        match_typed_subject_alt_names: [{ san_type: url.isIp ? 'IP_ADDRESS' : 'DNS', matcher: { exact: url.host } }],
      },
    },
  });
  return cluster(name, type, url.host, url.port, {
    transport_socket: { name: 'envoy.transport_sockets.tls', typed_config: tls },
    ...extra,
  });
}

/** The Node gateways, by their Kubernetes Service name (or any host of that name). */
export function gatewayClusterConfig(ir: IR): Json {
  return cluster(GATEWAY_CLUSTER, 'STRICT_DNS', GATEWAY_SERVICE, ir.gateway.listen.port);
}

/** A secret Envoy reads from an SDS file in its config dir, reloaded when `watchedDir` changes. */
export function sdsSecretConfig(name: string, watchedDir: string): Json {
  return {
    name,
    sds_config: { path_config_source: { path: sdsPath(name), watched_directory: { path: watchedDir } }, resource_api_version: 'V3' },
  };
}

export const sdsFile = (name: string): string => `sds/${name}.yaml`;
const sdsPath = (name: string): string => `${ENVOY_CONFIG_DIR}/${sdsFile(name)}`;

/** The content of an SDS file: a discovery response holding one Secret. */
export function sdsResource(secret: Json): Json {
  return { resources: [typed(TYPE.secret, secret)] };
}
