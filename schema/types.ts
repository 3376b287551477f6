/* Generated from schema/*.schema.json by `npm run gen:types`. Do not edit. */

/**
 * Longest time a whole client request may take, streaming included.
 */
export type Duration = string;
/**
 * Longest time a client may take to send its request headers (slowloris protection).
 */
export type Duration1 = string;
/**
 * Shared HMAC secret for HS256, as a secret reference.
 */
export type SecretRef = string;
/**
 * Redis URL as a secret reference (it may hold a password). Required for `redis`.
 */
export type SecretRef1 = string;
/**
 * Redis URL as a secret reference (it may hold a password). Required for `redis`.
 */
export type SecretRef2 = string;
/**
 * Redis URL as a secret reference (it may hold a password). Required for `redis`.
 */
export type SecretRef3 = string;
/**
 * How long a stored response is kept after it was last used (stored, retrieved, or continued by `previous_response_id`).
 */
export type Duration2 = string;
/**
 * A reference to a secret, never the secret itself: `env:NAME` (environment variable), `file:/absolute/path` (a mounted file) or `k8s:secret-name/key` (a Kubernetes Secret key).
 */
export type SecretRef4 = string;
/**
 * How long a condition must hold before its alert fires.
 */
export type Duration3 = string;
/**
 * The window whose spend rate `ModelgateBudgetBurn` projects to the end of the month.
 */
export type Duration4 = string;
/**
 * A reference to a secret, never the secret itself: `env:NAME` (environment variable), `file:/absolute/path` (a mounted file) or `k8s:secret-name/key` (a Kubernetes Secret key).
 */
export type SecretRef5 = string;
/**
 * A reference to a secret, never the secret itself: `env:NAME` (environment variable), `file:/absolute/path` (a mounted file) or `k8s:secret-name/key` (a Kubernetes Secret key).
 */
export type SecretRef6 = string;
/**
 * A reference to a secret, never the secret itself: `env:NAME` (environment variable), `file:/absolute/path` (a mounted file) or `k8s:secret-name/key` (a Kubernetes Secret key).
 */
export type SecretRef7 = string;
/**
 * A reference to a secret, never the secret itself: `env:NAME` (environment variable), `file:/absolute/path` (a mounted file) or `k8s:secret-name/key` (a Kubernetes Secret key).
 */
export type SecretRef8 = string;
/**
 * A reference to a secret, never the secret itself: `env:NAME` (environment variable), `file:/absolute/path` (a mounted file) or `k8s:secret-name/key` (a Kubernetes Secret key).
 */
export type SecretRef9 = string;
/**
 * Per-attempt timeout of one upstream call.
 */
export type Duration5 = string;
/**
 * The moving window over which `failureRatio` is measured.
 */
export type Duration6 = string;
/**
 * How long the circuit stays open before probes are let through.
 */
export type Duration7 = string;
/**
 * Base delay before a retry; doubles each time.
 */
export type Duration8 = string;
/**
 * Total time for a request including retries and fallbacks.
 */
export type Duration9 = string;
/**
 * How long a cached response is served.
 */
export type Duration10 = string;
/**
 * A built-in personal-data detector (`card` checks the Luhn digit, `iban` the mod-97 checksum).
 */
export type PiiDetector = 'email' | 'phone' | 'card' | 'iban' | 'ipv4';
/**
 * A reference to a secret, never the secret itself: `env:NAME` (environment variable), `file:/absolute/path` (a mounted file) or `k8s:secret-name/key` (a Kubernetes Secret key).
 */
export type SecretRef10 = string;
/**
 * How long one request to the server may take until its answer; each progress notification restarts it.
 */
export type Duration11 = string;
/**
 * How long a remote checker (`moderation`, `presidio`, `webhook`) may take per check.
 */
export type Duration12 = string;
/**
 * A reference to a secret, never the secret itself: `env:NAME` (environment variable), `file:/absolute/path` (a mounted file) or `k8s:secret-name/key` (a Kubernetes Secret key).
 */
export type SecretRef11 = string;
/**
 * A reference to a secret, never the secret itself: `env:NAME` (environment variable), `file:/absolute/path` (a mounted file) or `k8s:secret-name/key` (a Kubernetes Secret key).
 */
export type SecretRef12 = string;
/**
 * What the rule selects, what it asserts and how a violation is reported.
 */
export type PolicySpec = {
  [k: string]: unknown;
} & {
  match: ResourceSelector;
  exclude?: ResourceSelector1;
  assert?: PolicyAssert;
  deny?: PolicyDeny;
  /**
   * Severity of a violation.
   */
  severity?: 'error' | 'warning' | 'info';
  /**
   * Handlebars message; `resource` (the matched document) and `environment` are in scope.
   */
  message: string;
  /**
   * Test cases run by `modelgate policy test`.
   */
  tests?: PolicyTestCase[];
};

/**
 * Every resource kind of modelgate.dev/v1.
 */
export interface ModelgateResources {
  Gateway?: Gateway;
  Provider?: Provider;
  Route?: Route;
  Prompt?: Prompt;
  Consumer?: Consumer;
  AccessPolicy?: AccessPolicy;
  McpServer?: McpServer;
  Guardrail?: Guardrail;
  Policy?: Policy;
  PolicyException?: PolicyException;
  Environment?: Environment;
  UsageRecord?: UsageRecord;
}
/**
 * The gateway itself: listener, limits, stores, logging, metrics, telemetry and deployment settings. One per config repo.
 */
export interface Gateway {
  /**
   * The schema version of this document. Always `modelgate.dev/v1`.
   */
  apiVersion: 'modelgate.dev/v1';
  /**
   * Always `Gateway`.
   */
  kind: 'Gateway';
  metadata: Metadata;
  spec: GatewaySpec;
}
/**
 * Identity of the resource. `kind/name` is unique across the config repo.
 */
export interface Metadata {
  /**
   * A DNS-label-style name: lower case letters, digits, '-' and '.', starting and ending with a letter or digit.
   */
  name: string;
  labels?: Labels;
  /**
   * Free-form notes for people and tools; never interpreted by the compiler.
   */
  annotations?: {
    [k: string]: string;
  };
  /**
   * One line saying what this resource is for.
   */
  description?: string;
}
/**
 * Key/value labels used by access policies, organisation policies and reports (for example `team`, `owner`).
 */
export interface Labels {
  [k: string]: string;
}
/**
 * Settings of the gateway runtime.
 */
export interface GatewaySpec {
  listen?: Listener;
  limits?: GatewayLimits;
  auth?: GatewayAuth;
  stores?: GatewayStores;
  logging?: GatewayLogging;
  metrics?: GatewayMetrics;
  telemetry?: GatewayTelemetry;
  alerts?: GatewayAlerts;
  kubernetes?: KubernetesDeployment;
  mcp?: GatewayMcp;
  envoy?: EnvoySettings;
}
/**
 * Where the gateway accepts client connections.
 */
export interface Listener {
  /**
   * Address to bind; `0.0.0.0` in containers.
   */
  host?: string;
  /**
   * TCP port to listen on.
   */
  port?: number;
}
/**
 * Protective limits applied to every request.
 */
export interface GatewayLimits {
  /**
   * Largest request body accepted; larger ones get 413.
   */
  maxBodyBytes?: number;
  /**
   * Largest upstream response body relayed, streamed or not; a provider that sends more gets the client a 502 `upstream_response_too_large` (an error event once a stream has started).
   */
  maxResponseBytes?: number;
  requestTimeout?: Duration;
  headersTimeout?: Duration1;
}
/**
 * How callers authenticate. API keys are declared on `Consumer`s; JWT issuers here.
 */
export interface GatewayAuth {
  /**
   * Trusted JWT issuers. A token is accepted only when its `iss` matches one of these and its signature verifies.
   */
  jwt?: JwtIssuer[];
}
export interface JwtIssuer {
  /**
   * Expected `iss` claim.
   */
  issuer: string;
  /**
   * Accepted `aud` values; any when omitted.
   */
  audiences?: string[];
  /**
   * Accepted signature algorithms. `none` is never accepted.
   */
  algorithms?: ('HS256' | 'RS256' | 'ES256')[];
  secret?: SecretRef;
  /**
   * PEM public key: RSA of 2048 bits or more for RS256, P-256 EC for ES256 (public keys are not secrets).
   */
  publicKey?: string;
}
/**
 * Where rate-limit counters, budgets, cached responses and stored Responses API conversations live.
 */
export interface GatewayStores {
  limits?: LimitStore;
  cache?: Store;
  responses?: ResponseStore;
}
/**
 * Store for rate limits and budgets. Use `redis` so that replicas share counters.
 */
export interface LimitStore {
  /**
   * `memory` (one process) or `redis` (shared by replicas).
   */
  type: 'memory' | 'redis';
  url?: SecretRef1;
  /**
   * Prefix for every Redis key.
   */
  keyPrefix?: string;
  /**
   * Most entries kept by an in-memory store.
   */
  maxEntries?: number;
  /**
   * What a request that has limits gets while the Redis store is unreachable (answered at once, without waiting for Redis). `deny` (fail closed): a 503 `limits_unavailable`; no consumer can exceed a limit or budget, but an outage of Redis is an outage of every limited route. `allow` (fail open): the request proceeds unlimited and uncounted, with the header `x-modelgate-limits: unavailable` and counted in `modelgate_limits_bypassed_total`; service continues, but limits and budgets are not enforced until Redis answers again. Ignored by a `memory` store.
   */
  onUnavailable?: 'deny' | 'allow';
}
/**
 * Store for the response cache.
 */
export interface Store {
  /**
   * `memory` (one process) or `redis` (shared by replicas).
   */
  type: 'memory' | 'redis';
  url?: SecretRef2;
  /**
   * Prefix for every Redis key.
   */
  keyPrefix?: string;
  /**
   * Most entries kept by an in-memory store.
   */
  maxEntries?: number;
}
/**
 * Store for the conversation state of `/v1/responses` (`previous_response_id`, `GET` and `DELETE /v1/responses/{id}`), kept per consumer. Without it the Responses API is stateless: `previous_response_id` is refused and `store: true` keeps nothing.
 */
export interface ResponseStore {
  /**
   * `memory` (one process: a conversation must come back to the same replica) or `redis` (shared by replicas).
   */
  type: 'memory' | 'redis';
  url?: SecretRef3;
  /**
   * Prefix for every Redis key.
   */
  keyPrefix?: string;
  /**
   * Most responses kept by an in-memory store; the least recently used go first.
   */
  maxEntries?: number;
  ttl?: Duration2;
}
/**
 * Usage and diagnostic logging.
 */
export interface GatewayLogging {
  /**
   * Lowest level of operational log lines written to stderr.
   */
  level?: 'debug' | 'info' | 'warn' | 'error';
  usage?: UsageLog;
}
/**
 * One JSON line per request: consumer, route, provider, model, tokens, cost, status, latency.
 */
export interface UsageLog {
  /**
   * Write usage lines.
   */
  enabled?: boolean;
  /**
   * `stdout` or a file path to append to.
   */
  path?: string;
  /**
   * Also log request messages. Debug only: prompts may hold personal data.
   */
  includePrompts?: boolean;
}
/**
 * Prometheus metrics.
 */
export interface GatewayMetrics {
  /**
   * Serve Prometheus metrics.
   */
  enabled?: boolean;
  /**
   * HTTP path of the metrics endpoint.
   */
  path?: string;
}
/**
 * OpenTelemetry export of the Node gateway: a trace per request following the GenAI semantic conventions, with a child span per upstream attempt. Off unless `otlp` is set.
 */
export interface GatewayTelemetry {
  otlp?: OtlpTraces;
}
/**
 * Where spans go: an OTLP/HTTP collector (protobuf), in batches sent in the background; a request never waits on the export, and spans are dropped (counted in `modelgate_trace_spans_total{outcome="dropped"}`) when the collector cannot keep up.
 */
export interface OtlpTraces {
  /**
   * The OTLP/HTTP traces URL, path included: `http://otel-collector:4318/v1/traces`. No credentials in the URL: put them in `headers`.
   */
  endpoint: string;
  /**
   * Headers sent with every export (the API key of a hosted backend), each value a secret reference; never written to a span or a log.
   */
  headers?: {
    [k: string]: SecretRef4;
  };
  /**
   * Share of the traces that start at the gateway which are recorded (by trace id). A caller that sends a `traceparent` decides for its own trace (parent-based sampling).
   */
  samplingRatio?: number;
  /**
   * The `service.name` of the spans.
   */
  serviceName?: string;
}
/**
 * Prometheus alerts (a `PrometheusRule`) and a Grafana dashboard that the `k8s` target writes from this config: thresholds come from the routes' timeouts and the access policies' limits and budgets, scaled by the ratios here.
 */
export interface GatewayAlerts {
  /**
   * Write `prometheusrule.yaml` (needs the Prometheus Operator's CRDs in the cluster).
   */
  enabled?: boolean;
  /**
   * Write the Grafana dashboard in a ConfigMap labelled `grafana_dashboard: "1"`, for Grafana's dashboard sidecar.
   */
  dashboard?: boolean;
  for?: Duration3;
  /**
   * Labels added to every alert (for Alertmanager routing, e.g. `team: platform`); an alert's own `severity` is kept unless given here.
   */
  labels?: {
    [k: string]: string;
  };
  resourceLabels?: Labels1;
  /**
   * Share of requests answered with a 5xx above which `ModelgateErrorRatioHigh` fires.
   */
  errorRatio?: number;
  /**
   * Share of a provider's attempts failing (5xx, 429, timeout, reset, oversize) above which `ModelgateProviderFailing` fires.
   */
  providerFailureRatio?: number;
  /**
   * Share of a route's timeout above which its p95 latency (`ModelgateRouteLatencyHigh`) or p95 time to first token (`ModelgateRouteFirstTokenSlow`) fires.
   */
  latencyRatioOfTimeout?: number;
  /**
   * Share of an access policy's `tokensPerMinute` above which a consumer's token rate fires `ModelgateTokensPerMinuteNearLimit`.
   */
  tokensPerMinuteRatio?: number;
  /**
   * Share of an access policy's `monthlyBudgetUsd` that a consumer's spend over a whole month, projected from its spend rate over `budgetWindow`, must exceed for `ModelgateBudgetBurn` to fire (1: at this rate the budget runs out before the month ends).
   */
  budgetProjection?: number;
  budgetWindow?: Duration4;
  /**
   * Alerts to leave out, by name.
   */
  disable?: (
    | 'ModelgateErrorRatioHigh'
    | 'ModelgateProviderFailing'
    | 'ModelgateRouteLatencyHigh'
    | 'ModelgateRouteFirstTokenSlow'
    | 'ModelgateLimitStoreDown'
    | 'ModelgateCircuitOpen'
    | 'ModelgateBudgetBurn'
    | 'ModelgateTokensPerMinuteNearLimit'
  )[];
}
/**
 * Labels on the PrometheusRule and dashboard objects, for the selectors that pick them up (kube-prometheus-stack's `ruleSelector` wants `release: <its release name>`).
 */
export interface Labels1 {
  [k: string]: string;
}
/**
 * How the `k8s` target deploys the gateway.
 */
export interface KubernetesDeployment {
  /**
   * A DNS-label-style name: lower case letters, digits, '-' and '.', starting and ending with a letter or digit.
   */
  namespace?: string;
  /**
   * Container image that runs `node gateway.mjs` (a Node 20 image).
   */
  image?: string;
  /**
   * Replica count (the HPA's minimum when autoscaling is on).
   */
  replicas?: number;
  resources?: ContainerResources;
  autoscaling?: Autoscaling;
}
/**
 * Container resource requests and limits, as Kubernetes quantities.
 */
export interface ContainerResources {
  requests?: Quantities;
  limits?: Quantities1;
}
/**
 * Requested CPU and memory.
 */
export interface Quantities {
  /**
   * CPU quantity, e.g. `250m` or `1`.
   */
  cpu?: string;
  /**
   * Memory quantity, e.g. `256Mi`.
   */
  memory?: string;
}
/**
 * CPU and memory limits.
 */
export interface Quantities1 {
  /**
   * CPU quantity, e.g. `250m` or `1`.
   */
  cpu?: string;
  /**
   * Memory quantity, e.g. `256Mi`.
   */
  memory?: string;
}
/**
 * HorizontalPodAutoscaler settings.
 */
export interface Autoscaling {
  /**
   * Emit an HPA.
   */
  enabled?: boolean;
  /**
   * Upper bound on replicas.
   */
  maxReplicas?: number;
  /**
   * Average CPU utilisation (percent) the HPA aims for.
   */
  targetCPUUtilization?: number;
}
/**
 * How the MCP gateway (`/mcp`) keeps agents' sessions.
 */
export interface GatewayMcp {
  sessionKey?: SecretRef5;
}
/**
 * How the `envoy` target is generated.
 */
export interface EnvoySettings {
  /**
   * `direct`: Envoy routes straight to providers. `front`: Envoy terminates TLS and JWT and fronts a fleet of Node gateways.
   */
  mode?: 'direct' | 'front';
  /**
   * Envoy listener port.
   */
  port?: number;
  /**
   * Envoy admin port (bound to 127.0.0.1 only).
   */
  adminPort?: number;
  /**
   * Envoy container image for the k8s target.
   */
  image?: string;
}
/**
 * An upstream LLM provider and the models it offers.
 */
export interface Provider {
  /**
   * The schema version of this document. Always `modelgate.dev/v1`.
   */
  apiVersion: 'modelgate.dev/v1';
  /**
   * Always `Provider`.
   */
  kind: 'Provider';
  metadata: Metadata;
  spec: ProviderSpec;
}
/**
 * How to reach the provider and what it costs.
 */
export interface ProviderSpec {
  /**
   * Wire protocol: `openai`, `anthropic` (Messages API, translated), `azure-openai` (deployment URLs), `openai-compatible` (vLLM, Ollama, ...), `bedrock` (AWS Bedrock Converse, SigV4-signed, translated) or `gemini` (Google's Gemini API, translated).
   */
  type: 'openai' | 'anthropic' | 'azure-openai' | 'openai-compatible' | 'bedrock' | 'gemini';
  /**
   * Base URL of the API, e.g. `https://api.openai.com/v1`. Required except for `bedrock` (default `https://bedrock-runtime.<region>.amazonaws.com`) and `gemini` (default `https://generativelanguage.googleapis.com/v1beta`).
   */
  baseUrl?: string;
  credential?: SecretRef6;
  aws?: AwsAuth;
  /**
   * API version query parameter (`azure-openai`) or `anthropic-version` header (`anthropic`).
   */
  apiVersion?: string;
  timeout?: Duration5;
  /**
   * Retries of a failed call on this provider before the route falls back.
   */
  retries?: number;
  circuitBreaker?: CircuitBreaker;
  /**
   * Extra non-secret headers sent on every call (for example an organisation id).
   */
  headers?: {
    [k: string]: string;
  };
  /**
   * Models this provider serves, with prices for cost tracking.
   *
   * @minItems 1
   */
  models: [ProviderModel, ...ProviderModel[]];
}
/**
 * Region and credentials of a `bedrock` provider: an access key pair, or a web identity token file exchanged for temporary keys at AWS STS (`AssumeRoleWithWebIdentity`). Every secret is a reference.
 */
export interface AwsAuth {
  /**
   * AWS region (`us-east-1`): where requests go and what they are signed for.
   */
  region: string;
  accessKeyId?: SecretRef7;
  secretAccessKey?: SecretRef8;
  sessionToken?: SecretRef9;
  /**
   * Absolute path of a web identity token (an OIDC JWT such as a Kubernetes service account token), read again at every exchange: `/var/run/secrets/eks.amazonaws.com/serviceaccount/token`.
   */
  webIdentityTokenFile?: string;
  /**
   * The IAM role the web identity assumes (`arn:aws:iam::123456789012:role/modelgate`).
   */
  roleArn?: string;
  /**
   * AWS STS endpoint for the web identity exchange. Default: the region's, `https://sts.<region>.amazonaws.com`.
   */
  stsEndpoint?: string;
}
/**
 * A circuit breaker per model of this provider. Failures that count: 5xx answers (and Anthropic's 529), timeouts and connection failures; a 4xx (429 included) never does. The circuit opens after `consecutiveFailures` failures in a row, or when at least `minimumRequests` attempts in the last `window` failed in a ratio of `failureRatio` or more. While open, requests skip the model straight to the route's next candidate. After `openFor` it is half-open: `halfOpenProbes` requests are let through; it closes when they all succeed and opens again at the first failure. With a Redis limits store, replicas share the open and closed states.
 */
export interface CircuitBreaker {
  /**
   * Whether the breaker acts; `false` sends every request to the model whatever it did before.
   */
  enabled?: boolean;
  /**
   * Failures in a row that open the circuit.
   */
  consecutiveFailures?: number;
  /**
   * Share of failed attempts in `window` that opens the circuit (once `minimumRequests` attempts were made).
   */
  failureRatio?: number;
  /**
   * Attempts in `window` before `failureRatio` is judged.
   */
  minimumRequests?: number;
  window?: Duration6;
  openFor?: Duration7;
  /**
   * Requests let through while half-open; all must succeed to close the circuit.
   */
  halfOpenProbes?: number;
}
export interface ProviderModel {
  /**
   * Model id as the provider knows it (`gpt-4o-mini`).
   */
  name: string;
  /**
   * Pinned model version or snapshot (`2024-07-18`); carried forward by `modelgate promote`.
   */
  version?: string;
  /**
   * Azure OpenAI deployment name serving this model (`azure-openai` only).
   */
  deployment?: string;
  /**
   * What the model does.
   */
  type?: 'chat' | 'embeddings';
  /**
   * Price in USD per million input tokens.
   */
  inputPricePer1M?: number;
  /**
   * Price in USD per million output tokens.
   */
  outputPricePer1M?: number;
  /**
   * Price in USD per million input tokens read from the prompt cache. Default: 0.1 x inputPricePer1M for `anthropic` (Anthropic's cache-hit price), inputPricePer1M for the other types.
   */
  cacheReadPricePer1M?: number;
  /**
   * Price in USD per million input tokens written to the prompt cache. Default: 1.25 x inputPricePer1M for `anthropic` (Anthropic's 5-minute cache write), inputPricePer1M for the other types.
   */
  cacheWritePricePer1M?: number;
  /**
   * Context window in tokens.
   */
  contextWindow?: number;
  /**
   * The model takes OpenAI's `reasoning_effort` (o-series, gpt-5, gpt-oss): Anthropic Messages `thinking` and `output_config.effort` become it. Models without it get none (they answer without extended reasoning).
   */
  reasoning?: boolean;
  /**
   * The provider has announced this model's retirement.
   */
  deprecated?: boolean;
}
/**
 * A public model name clients ask for (`model: chat-default`), mapped to provider models with weights and fallbacks.
 */
export interface Route {
  /**
   * The schema version of this document. Always `modelgate.dev/v1`.
   */
  apiVersion: 'modelgate.dev/v1';
  /**
   * Always `Route`.
   */
  kind: 'Route';
  metadata: Metadata;
  spec: RouteSpec;
}
/**
 * Where requests for this public model go.
 */
export interface RouteSpec {
  /**
   * `chat` serves /v1/chat/completions, `embeddings` serves /v1/embeddings.
   */
  type?: 'chat' | 'embeddings';
  /**
   * Other model ids that land on this route: exact ids and glob patterns, case-sensitive. In a pattern `*` matches any run of characters (none too) and `?` exactly one; every other character stands for itself. A request's `model` is looked up as a route name first, then as an exact alias, then against the patterns, most specific first (the longest literal prefix, then the most literal characters). No two routes may claim the same id, and no alias may name or match another route.
   *
   * Items: A model id (`claude-opus-4-1-20250805`) or a glob pattern (`claude-opus-*`); no whitespace.
   */
  aliases?: string[];
  /**
   * Provider models that serve this route, chosen by weight.
   *
   * @minItems 1
   */
  targets: [RouteTarget, ...RouteTarget[]];
  /**
   * How the targets are ordered for each request; fallbacks always come after them, in order. `weighted`: one target chosen by weight. `priority`: the targets in the order written. `lowest-latency`: the targets by their mean latency over the last 30 s of successful attempts on this gateway (a target without a recent figure first, so that it gets one). `lowest-cost`: the targets by the sum of their models' input and output prices, cheapest first (every target needs both prices). A target whose circuit is open is skipped in every strategy.
   */
  strategy?: 'weighted' | 'priority' | 'lowest-latency' | 'lowest-cost';
  /**
   * Tried in order when every attempt on the chosen target failed with a retryable error.
   */
  fallbacks?: ModelRef[];
  retry?: RetryPolicy;
  timeout?: Duration9;
  /**
   * Names of `Guardrail`s applied to every request of this route and its answer, after those of the caller's access policy.
   */
  guardrails?: string[];
  cache?: CachePolicy;
  /**
   * Upper bound on `max_tokens` a client may ask for; also the default when it asks for none.
   */
  maxTokens?: number;
}
export interface RouteTarget {
  /**
   * Name of a `Provider`.
   */
  provider: string;
  /**
   * One of that provider's models.
   */
  model: string;
  /**
   * Share of traffic in percent; weights of a route sum to 100.
   */
  weight?: number;
}
/**
 * A model offered by a provider.
 */
export interface ModelRef {
  /**
   * Name of a `Provider` resource.
   */
  provider: string;
  /**
   * Name of one of that provider's `spec.models`.
   */
  model: string;
}
/**
 * When and how often to retry before falling back.
 */
export interface RetryPolicy {
  /**
   * Retries on the same target (0 = none).
   */
  attempts?: number;
  backoff?: Duration8;
  /**
   * Failures that are retried and fall back: HTTP status codes, `timeout`, `reset`.
   */
  on?: (number | ('timeout' | 'reset'))[];
}
/**
 * Exact-match response cache for non-streaming requests.
 */
export interface CachePolicy {
  /**
   * Cache responses of this route.
   */
  enabled?: boolean;
  ttl?: Duration10;
}
/**
 * A versioned prompt template served at `POST /v1/prompts/{name}` and, with `expose`, at a path of its own with its own request and response contract.
 */
export interface Prompt {
  /**
   * The schema version of this document. Always `modelgate.dev/v1`.
   */
  apiVersion: 'modelgate.dev/v1';
  /**
   * Always `Prompt`.
   */
  kind: 'Prompt';
  metadata: Metadata;
  spec: PromptSpec;
}
/**
 * Template versions, their variables and the route they run on.
 */
export interface PromptSpec {
  /**
   * Name of the `Route` the rendered messages are sent to.
   */
  route: string;
  /**
   * JSON Schema (an object schema) of the `variables` a caller sends. Every variable a template uses must be declared here.
   */
  variables?: {
    /**
     * Always `object`.
     */
    type: 'object';
    [k: string]: unknown;
  };
  /**
   * Template versions by name (`v1`, `v2`, ...).
   */
  versions: {
    [k: string]: PromptVersion;
  };
  /**
   * Which versions are served, split by weight (A/B). The chosen version is reported in the `x-modelgate-prompt-version` header.
   *
   * @minItems 1
   */
  serve: [PromptRollout, ...PromptRollout[]];
  expose?: PromptExpose;
  /**
   * Example calls of the exposed prompt: each `request` must satisfy the request schema and each `response` the response schema; they are the OpenAPI document's examples.
   */
  tests?: PromptTestCase[];
}
export interface PromptVersion {
  /**
   * Chat messages; each `content` is a Handlebars template over the variables.
   *
   * @minItems 1
   */
  messages: [PromptMessage, ...PromptMessage[]];
  /**
   * Sampling temperature sent upstream.
   */
  temperature?: number;
  /**
   * `max_tokens` sent upstream.
   */
  maxTokens?: number;
}
export interface PromptMessage {
  /**
   * Chat role of the message.
   */
  role: 'system' | 'user' | 'assistant';
  /**
   * Handlebars template (`{{customer.name}}`); rendered without HTML escaping.
   */
  content: string;
}
export interface PromptRollout {
  /**
   * A key of `versions`.
   */
  version: string;
  /**
   * Share of calls in percent.
   */
  weight?: number;
}
/**
 * Serves the prompt as an API of its own: the request body is the variables, checked against `request`; with `response` the model is asked for structured output and the answer is that JSON object.
 */
export interface PromptExpose {
  /**
   * Absolute path (`/ai-code-reviewer`, `/v1/apps/code-reviewer`); must not collide with the gateway's own paths or another prompt's.
   */
  path: string;
  /**
   * HTTP method (the body carries the variables).
   */
  method?: 'POST';
  /**
   * JSON Schema of the request body. Default: an object whose properties are the prompt's variables, all required (each with its schema from `variables`, else a string).
   */
  request?: {
    [k: string]: unknown;
  };
  /**
   * JSON Schema (an object schema) of the answer. With it the gateway asks for structured output (OpenAI `json_schema`, forced tool use elsewhere), checks the answer, retries once, else answers 502.
   */
  response?: {
    /**
     * Always `object`.
     */
    type: 'object';
    [k: string]: unknown;
  };
}
export interface PromptTestCase {
  /**
   * What the case shows.
   */
  name: string;
  /**
   * A request body (the variables).
   */
  request: {
    [k: string]: unknown;
  };
  /**
   * An answer the response schema accepts.
   */
  response?: {
    [k: string]: unknown;
  };
}
/**
 * An application or team that calls the gateway, identified by API-key hashes or JWT claims.
 */
export interface Consumer {
  /**
   * The schema version of this document. Always `modelgate.dev/v1`.
   */
  apiVersion: 'modelgate.dev/v1';
  /**
   * Always `Consumer`.
   */
  kind: 'Consumer';
  metadata: Metadata;
  spec: ConsumerSpec;
}
/**
 * How the consumer authenticates. Labels such as `team` go in `metadata.labels`.
 */
export interface ConsumerSpec {
  /**
   * API keys, as SHA-256 hashes only. Hash a key with `printf %s "$KEY" | sha256sum`.
   */
  apiKeys?: ApiKeyHash[];
  jwt?: ConsumerJwt;
}
export interface ApiKeyHash {
  /**
   * A non-secret id for the key, shown in logs (`ci-2026-01`).
   */
  id: string;
  /**
   * Lower-case hex SHA-256 of the key.
   */
  sha256: string;
  /**
   * Date after which the key is refused.
   */
  expires?: string;
}
/**
 * Tokens from a trusted issuer whose claims all match identify this consumer.
 */
export interface ConsumerJwt {
  /**
   * An issuer listed in the Gateway's `spec.auth.jwt`.
   */
  issuer: string;
  /**
   * Claims that must equal these values (`sub: svc-billing`).
   */
  claims?: {
    [k: string]: string;
  };
}
/**
 * Who may call which routes, prompts and MCP tools, with rate limits, budgets and redaction.
 */
export interface AccessPolicy {
  /**
   * The schema version of this document. Always `modelgate.dev/v1`.
   */
  apiVersion: 'modelgate.dev/v1';
  /**
   * Always `AccessPolicy`.
   */
  kind: 'AccessPolicy';
  metadata: Metadata;
  spec: AccessPolicySpec;
}
/**
 * Subjects, what they may call and the limits that apply to each of them.
 */
export interface AccessPolicySpec {
  subjects: Subjects;
  /**
   * Route names the subjects may call; `*` for all.
   */
  routes?: string[];
  /**
   * Prompt names the subjects may call; `*` for all.
   */
  prompts?: string[];
  /**
   * When set, only these provider models may serve the subjects' requests (`openai/gpt-4o-mini`); other targets are skipped.
   */
  allowedModels?: string[];
  limits?: AccessLimits;
  mcp?: McpAccess;
  /**
   * Names of `Guardrail`s applied to every request of the subjects and its answer, in this order, before those of the route.
   */
  guardrails?: string[];
  redaction?: Redaction;
}
/**
 * Consumers this policy applies to: named ones, and those whose labels all match.
 */
export interface Subjects {
  /**
   * Names of `Consumer`s.
   */
  consumers?: string[];
  labels?: Labels2;
}
/**
 * Consumers carrying all these labels (`team: payments`).
 */
export interface Labels2 {
  [k: string]: string;
}
/**
 * Limits per consumer.
 */
export interface AccessLimits {
  /**
   * Requests admitted per minute and consumer.
   */
  requestsPerMinute?: number;
  /**
   * Tokens (input + output) per minute and consumer.
   */
  tokensPerMinute?: number;
  /**
   * Spend per calendar month (UTC) and consumer, priced from the providers' model prices.
   */
  monthlyBudgetUsd?: number;
}
/**
 * Which MCP servers, tools, resources and prompts the subjects may use through `/mcp`, and how often they may call tools.
 */
export interface McpAccess {
  /**
   * Grants, one per `McpServer` name or name glob (`*` for every server).
   */
  servers?: McpServerGrant[];
  /**
   * Tool calls admitted per minute and consumer, counted in the gateway's limit store.
   */
  callsPerMinute?: number;
  /**
   * Apply this policy's `redaction` to the string values of tool-call arguments before they reach the server.
   */
  redactArguments?: boolean;
}
export interface McpServerGrant {
  /**
   * Name of an `McpServer`, or a glob over names (`github-*`).
   */
  name: string;
  /**
   * Tool names or globs (`list_*`; `*` for every tool).
   *
   * @minItems 1
   */
  tools: [string, ...string[]];
  /**
   * Tool names or globs withheld even when `tools` matches them.
   */
  excludeTools?: string[];
  /**
   * Resource URI globs the subjects may list and read (`repo://acme/*`); none when omitted.
   */
  resources?: string[];
  /**
   * Prompt names or globs of the server the subjects may list and get; none when omitted.
   */
  prompts?: string[];
}
/**
 * Personal data removed from requests before they leave for a provider.
 */
export interface Redaction {
  /**
   * Built-in detectors (`card` checks the Luhn digit).
   */
  pii?: PiiDetector[];
  /**
   * Custom regular expressions; matches are replaced by `[REDACTED:<name>]`.
   */
  patterns?: RedactionPattern[];
}
export interface RedactionPattern {
  /**
   * Label put in the replacement.
   */
  name: string;
  /**
   * JavaScript regular expression (no backreferences or nested quantifiers).
   */
  regex: string;
}
/**
 * An upstream Model Context Protocol server (Streamable HTTP) that the gateway exposes to agents under `/mcp`.
 */
export interface McpServer {
  /**
   * The schema version of this document. Always `modelgate.dev/v1`.
   */
  apiVersion: 'modelgate.dev/v1';
  /**
   * Always `McpServer`.
   */
  kind: 'McpServer';
  metadata: Metadata;
  spec: McpServerSpec;
}
/**
 * Where the server is, how the gateway authenticates to it, and the tools reviewers approved.
 */
export interface McpServerSpec {
  /**
   * The server's Streamable HTTP endpoint, e.g. `https://mcp.example.com/mcp`.
   */
  url: string;
  credential?: SecretRef10;
  /**
   * Header that carries the credential. `Authorization` (the default) sends `Bearer <credential>`; any other header (`X-API-Key`) sends the value as it is.
   */
  credentialHeader?: string;
  timeout?: Duration11;
  /**
   * The pinned tool catalogue: when set, agents see and call only these tools, with these descriptions, so a tool the server adds or rewrites later stays hidden until a merge request adds it.
   */
  tools?: McpTool[];
}
export interface McpTool {
  /**
   * The tool's name as the server lists it.
   */
  name: string;
  /**
   * The description agents are shown, in place of the server's own.
   */
  description?: string;
  /**
   * What calling it can do: `read` (no side effects), `write`, or `destructive` (deletes or overwrites; needs a grant by name).
   */
  risk: 'read' | 'write' | 'destructive';
}
/**
 * A check on what goes to a model and what comes back, attached from access policies and routes, with its test cases.
 */
export interface Guardrail {
  /**
   * The schema version of this document. Always `modelgate.dev/v1`.
   */
  apiVersion: 'modelgate.dev/v1';
  /**
   * Always `Guardrail`.
   */
  kind: 'Guardrail';
  metadata: Metadata;
  spec: GuardrailSpec;
}
/**
 * Where the check runs, what it checks and what a match does.
 */
export interface GuardrailSpec {
  /**
   * `request`: the texts of a request, before anything leaves for a provider; `response`: the text of the answer, JSON or streamed; `both`.
   */
  stage?: 'request' | 'response' | 'both';
  /**
   * `block`: refuse with an error in the shape of the API called (a stream ends with its error event); `mask`: replace what matched (`[REDACTED:<category>]`) and go on; `flag`: go on, only record the verdict in the usage line and metrics.
   */
  action?: 'block' | 'mask' | 'flag';
  timeout?: Duration12;
  /**
   * What a remote checker that fails or times out means: `deny` refuses the request (503 `guardrail_unavailable`), `allow` lets it through (the verdict `error` is recorded).
   */
  onError?: 'allow' | 'deny';
  check: GuardrailCheck;
  /**
   * Examples `modelgate validate` runs against built-in checkers (`pii`, `secrets`, `deniedTopics`, `maxSize`) offline: a failing one is an error at its line.
   */
  tests?: GuardrailTest[];
}
/**
 * The checker: exactly one of these.
 */
export interface GuardrailCheck {
  pii?: PiiCheck;
  secrets?: SecretsCheck;
  deniedTopics?: DeniedTopicsCheck;
  maxSize?: MaxSizeCheck;
  moderation?: ModerationCheck;
  presidio?: PresidioCheck;
  webhook?: WebhookCheck;
}
/**
 * Personal data: the built-in detectors and custom regular expressions (the same as `AccessPolicy.spec.redaction`). Category `pii:<detector or pattern name>`.
 */
export interface PiiCheck {
  /**
   * Built-in detectors.
   */
  detectors?: PiiDetector[];
  /**
   * Custom regular expressions.
   */
  patterns?: RedactionPattern[];
}
/**
 * Credentials in well-known formats (API keys of OpenAI, Anthropic, AWS, GitLab, GitHub, Google; private keys; JWTs): the detectors `modelgate validate` uses on the config. Category `secret`.
 */
export interface SecretsCheck {}
/**
 * Words and phrases that must not appear, matched whole and case-insensitively. Category `topic:<the listed word>`.
 */
export interface DeniedTopicsCheck {
  /**
   * The denied words or phrases.
   *
   * @minItems 1
   */
  words: [string, ...string[]];
}
/**
 * The checked texts together may not exceed this many characters. Category `size`; `mask` is not available.
 */
export interface MaxSizeCheck {
  /**
   * Maximum characters.
   */
  chars: number;
}
/**
 * An OpenAI-compatible `POST /v1/moderations` endpoint. A category whose score reaches its threshold matches (category `moderation:<name>`); `mask` is not available.
 */
export interface ModerationCheck {
  /**
   * The moderations endpoint, e.g. `https://api.openai.com/v1/moderations`.
   */
  url: string;
  credential?: SecretRef11;
  /**
   * The moderation model to ask for (`omni-moderation-latest`); the service's default when omitted.
   */
  model?: string;
  /**
   * Score from which a category matches, by category name (`violence: 0.5`); categories not listed match when the service flags them.
   */
  thresholds?: {
    [k: string]: number;
  };
}
/**
 * Microsoft Presidio: the analyzer's `POST /analyze` finds entities (category `presidio:<entity type>`), the anonymizer's `POST /anonymize` masks them.
 */
export interface PresidioCheck {
  /**
   * The analyzer's base URL (`/analyze` is appended).
   */
  analyzerUrl: string;
  /**
   * The anonymizer's base URL (`/anonymize` is appended); needed for `mask`.
   */
  anonymizerUrl?: string;
  /**
   * The texts' language.
   */
  language?: string;
  /**
   * Entity types to look for (`PERSON`, `CREDIT_CARD`); all the analyzer knows when omitted.
   */
  entities?: string[];
  /**
   * Lowest score that counts.
   */
  scoreThreshold?: number;
}
/**
 * A team's own service speaking the webhook contract of docs/guardrails.md: `POST` `{guardrail, stage, texts}`, answer `{verdict: allow|block|mask|flag, categories?, texts?}`.
 */
export interface WebhookCheck {
  /**
   * Where the checks are posted.
   */
  url: string;
  credential?: SecretRef12;
}
export interface GuardrailTest {
  /**
   * The text checked.
   */
  input: string;
  /**
   * The verdict expected: `allow` when nothing matches, else the guardrail's action.
   */
  expect: 'allow' | 'block' | 'mask' | 'flag';
  /**
   * For `mask`: the text expected after masking.
   */
  output?: string;
}
/**
 * An organisation rule checked at compile time, Kyverno-style: match resources, then assert a JSON Schema or deny on conditions.
 */
export interface Policy {
  /**
   * The schema version of this document. Always `modelgate.dev/v1`.
   */
  apiVersion: 'modelgate.dev/v1';
  /**
   * Always `Policy`.
   */
  kind: 'Policy';
  metadata: Metadata;
  spec: PolicySpec;
}
/**
 * Resources the rule applies to.
 */
export interface ResourceSelector {
  /**
   * Resource kinds to select; all kinds when omitted.
   */
  kinds?: (
    | 'Gateway'
    | 'Provider'
    | 'Route'
    | 'Prompt'
    | 'Consumer'
    | 'AccessPolicy'
    | 'McpServer'
    | 'Guardrail'
    | 'Environment'
  )[];
  /**
   * Name globs (`chat-*`); all names when omitted.
   */
  names?: string[];
  labels?: Labels3;
  /**
   * Environments in which the selection applies; all when omitted.
   *
   * Items: A DNS-label-style name: lower case letters, digits, '-' and '.', starting and ending with a letter or digit.
   */
  environments?: string[];
}
/**
 * Labels the resource must carry, all of them.
 */
export interface Labels3 {
  [k: string]: string;
}
/**
 * Resources exempt from the rule even when matched.
 */
export interface ResourceSelector1 {
  /**
   * Resource kinds to select; all kinds when omitted.
   */
  kinds?: (
    | 'Gateway'
    | 'Provider'
    | 'Route'
    | 'Prompt'
    | 'Consumer'
    | 'AccessPolicy'
    | 'McpServer'
    | 'Guardrail'
    | 'Environment'
  )[];
  /**
   * Name globs (`chat-*`); all names when omitted.
   */
  names?: string[];
  labels?: Labels3;
  /**
   * Environments in which the selection applies; all when omitted.
   *
   * Items: A DNS-label-style name: lower case letters, digits, '-' and '.', starting and ending with a letter or digit.
   */
  environments?: string[];
}
/**
 * A JSON Schema (draft 2020-12) the matched resource must satisfy.
 */
export interface PolicyAssert {
  /**
   * The schema, applied to the whole resource (`apiVersion`, `kind`, `metadata`, `spec`).
   */
  schema: {
    [k: string]: unknown;
  };
}
/**
 * The resource violates the rule when all (`all`) or any (`any`) of the conditions hold.
 */
export interface PolicyDeny {
  /**
   * Violation when every condition holds.
   *
   * @minItems 1
   */
  all?: [PolicyCondition, ...PolicyCondition[]];
  /**
   * Violation when at least one condition holds.
   *
   * @minItems 1
   */
  any?: [PolicyCondition, ...PolicyCondition[]];
}
export interface PolicyCondition {
  /**
   * Dotted path into the resource (`spec.targets[*].provider`); `[*]` makes the condition hold when any element does.
   */
  path: string;
  /**
   * Comparison applied to the value at `path`.
   */
  operator:
    | 'Equals'
    | 'NotEquals'
    | 'In'
    | 'NotIn'
    | 'Exists'
    | 'NotExists'
    | 'GreaterThan'
    | 'LessThan'
    | 'Matches'
    | 'LengthGreaterThan'
    | 'LengthLessThan';
  /**
   * Right-hand side of the comparison (a list for `In`/`NotIn`, a regular expression for `Matches`).
   */
  value?: string | number | boolean | unknown[] | {} | null;
}
export interface PolicyTestCase {
  /**
   * What the case shows.
   */
  name: string;
  /**
   * Environment the case is evaluated in.
   */
  environment?: string;
  /**
   * A resource document (apiVersion, kind, metadata, spec).
   */
  resource: {
    [k: string]: unknown;
  };
  /**
   * `pass` (no violation), `fail` (a violation) or `skip` (not matched).
   */
  expect: 'pass' | 'fail' | 'skip';
}
/**
 * A waiver of one rule or policy for named resources, with an owner, a reason and an expiry date.
 */
export interface PolicyException {
  /**
   * The schema version of this document. Always `modelgate.dev/v1`.
   */
  apiVersion: 'modelgate.dev/v1';
  /**
   * Always `PolicyException`.
   */
  kind: 'PolicyException';
  metadata: Metadata;
  spec: PolicyExceptionSpec;
}
/**
 * What is waived, for whom, by whom, why and until when.
 */
export interface PolicyExceptionSpec {
  /**
   * A built-in rule id (`route-has-fallback`) or the name of a `Policy`.
   */
  rule: string;
  /**
   * Waived resources as `kind/name` globs (`Route/legacy-*`).
   *
   * @minItems 1
   */
  resources: [string, ...string[]];
  /**
   * Environments the waiver holds in; all when omitted.
   */
  environments?: string[];
  /**
   * Who answers for the waiver (a person or team).
   */
  owner: string;
  /**
   * GitLab usernames who may approve the waiver; `modelgate approvals --check` holds it valid only when one of them who also owns the waived rule (the Policy's team or owner labels) approved the merge request that adds or edits it.
   *
   * @minItems 1
   */
  approvers?: [string, ...string[]];
  /**
   * Why the rule cannot be met yet.
   */
  reason: string;
  /**
   * Last day the waiver holds (YYYY-MM-DD); after it the waiver is an error.
   */
  expires: string;
}
/**
 * An environment (`dev`, `staging`, `prod`): variables and patches applied over the base config.
 */
export interface Environment {
  /**
   * The schema version of this document. Always `modelgate.dev/v1`.
   */
  apiVersion: 'modelgate.dev/v1';
  /**
   * Always `Environment`.
   */
  kind: 'Environment';
  metadata: Metadata;
  spec: EnvironmentSpec;
}
/**
 * How this environment differs from the base.
 */
export interface EnvironmentSpec {
  /**
   * Kind of environment; `production` turns on the strict rules and GitLab's deployment tier.
   */
  tier?: 'production' | 'staging' | 'testing' | 'development' | 'other';
  /**
   * Values substituted for `${{ vars.NAME }}` in the base config. `${{ env.NAME }}` is left for the runtime.
   */
  variables?: {
    [k: string]: string | number | boolean;
  };
  /**
   * Strategic-merge patches applied to base resources by `kind/name`. Lists whose schema declares `x-list-map-keys` (models by `name`, targets and fallbacks by `provider`+`model`, rollouts by `version`, API keys by `id`, redaction patterns by `name`) merge item by item on those keys; other lists are replaced.
   */
  patches?: EnvironmentPatch[];
  /**
   * Severity per rule id in this environment: `error`, `warning`, `info` or `off`.
   */
  rules?: {
    [k: string]: 'error' | 'warning' | 'info' | 'off';
  };
}
export interface EnvironmentPatch {
  target: PatchTarget;
  /**
   * A partial resource (`spec: {...}`, `metadata: {labels: ...}`); `null` deletes a key.
   */
  patch: {
    [k: string]: unknown;
  };
}
export interface PatchTarget {
  /**
   * Kind of the patched resource.
   */
  kind: 'Gateway' | 'Provider' | 'Route' | 'Prompt' | 'Consumer' | 'AccessPolicy' | 'McpServer' | 'Guardrail';
  /**
   * Name of the patched resource.
   */
  name: string;
}
/**
 * One line of the gateway's JSON usage log: one request or MCP tool call, never its prompt, arguments or credentials.
 */
export interface UsageRecord {
  /**
   * When the request finished (ISO 8601, UTC).
   */
  ts: string;
  /**
   * The request's id, also sent back in `x-request-id`.
   */
  requestId: string;
  /**
   * The ingress API called: `chat` (chat completions and prompts), `embeddings`, `models` (the model list), `messages` (Anthropic Messages, count_tokens included), `responses` (OpenAI Responses), `mcp` (a tool call through the MCP gateway), `prompt` (a prompt's own endpoint, `expose`, answering a JSON object).
   */
  api: 'chat' | 'embeddings' | 'models' | 'messages' | 'responses' | 'mcp' | 'prompt';
  /**
   * Environment the gateway's config was built for.
   */
  environment?: string;
  /**
   * Authenticated consumer, null when authentication failed.
   */
  consumer: string | null;
  /**
   * Public model (route) asked for.
   */
  route: string | null;
  /**
   * Prompt name for `/v1/prompts/{name}` calls and a prompt's own endpoint.
   */
  prompt?: string;
  /**
   * Prompt version served.
   */
  promptVersion?: string;
  /**
   * Provider that answered (after fallbacks).
   */
  provider: string | null;
  /**
   * Provider model that answered.
   */
  model: string | null;
  /**
   * HTTP status sent to the client.
   */
  status: number;
  /**
   * Prompt tokens reported by the provider, cached ones included.
   */
  inputTokens: number;
  /**
   * Of `inputTokens`, those read from the provider's prompt cache (written when non-zero).
   */
  cacheReadTokens?: number;
  /**
   * Of `inputTokens`, those written to the provider's prompt cache (Anthropic's cache_creation_input_tokens; written when non-zero).
   */
  cacheWriteTokens?: number;
  /**
   * Completion tokens reported by the provider.
   */
  outputTokens: number;
  /**
   * Cost from the provider model's prices.
   */
  costUsd: number;
  /**
   * Time from request start to the last byte sent.
   */
  latencyMs: number;
  /**
   * Time spent waiting on providers.
   */
  upstreamLatencyMs?: number;
  /**
   * Upstream attempts made, retries and fallbacks included.
   */
  attempts?: number;
  /**
   * Response cache outcome.
   */
  cache: 'hit' | 'miss' | 'bypass';
  /**
   * Whether the response was streamed (SSE).
   */
  stream: boolean;
  /**
   * OpenAI-style error code when the request failed (`rate_limit_exceeded`, ...).
   */
  error?: string;
  /**
   * What a translation left out of the request without refusing it (a hosted tool the provider cannot run, a reasoning item handed back, ...), one short phrase each; also sent as `x-modelgate-notes`.
   */
  notes?: string[];
  /**
   * Verdicts of the guardrails that matched or could not check (absent when none did), in the order they ran; never the text that matched.
   */
  guardrails?: GuardrailVerdict[];
  /**
   * Request messages; only with `logging.usage.includePrompts` (debug).
   */
  messages?: unknown[];
  mcp?: McpCallRecord;
}
export interface GuardrailVerdict {
  /**
   * The Guardrail's name.
   */
  guardrail: string;
  /**
   * What was checked.
   */
  stage: 'request' | 'response';
  /**
   * What the gateway did: `block`, `mask`, `flag` (let through, recorded), or `error` (the checker failed or timed out; its `onError` decided).
   */
  action: 'block' | 'mask' | 'flag' | 'error';
  /**
   * What matched (`pii:email`, `secret`, `topic:<word>`, `moderation:violence`, `presidio:PERSON`), or for `error` `timeout` / `unavailable`.
   */
  categories: string[];
}
/**
 * An MCP tool call through `/mcp` (then `route`, `provider` and `model` are null and tokens 0).
 */
export interface McpCallRecord {
  /**
   * The McpServer called (or asked for, when refused).
   */
  server: string;
  /**
   * The tool's name on that server.
   */
  tool: string;
  /**
   * `ok`; `tool_error` (the result has `isError`); `error` (the server answered a JSON-RPC error); `denied` (not granted, never forwarded); `rate_limited` (by the policy's `callsPerMinute`, or its limit store unavailable); `upstream_failed` (HTTP error, timeout, unreachable); `client_closed`; `detached` (the stream closed before the answer, which comes on a resumed stream).
   */
  outcome:
    | 'ok'
    | 'tool_error'
    | 'error'
    | 'denied'
    | 'rate_limited'
    | 'upstream_failed'
    | 'client_closed'
    | 'detached';
  /**
   * Size of the JSON-RPC request received.
   */
  requestBytes: number;
  /**
   * Bytes sent to the client for this call.
   */
  responseBytes: number;
}
