// The IR: a normalized, fully resolved, environment-specific model. Targets read only this.
// Defaults are filled, durations are milliseconds, `*` grants are expanded, arrays are sorted by name.
// Where a part has the shape the config gives it, it is the schema's generated type.
import type * as T from '../../schema/types.ts';
import type { BuiltInCheck } from '../../kernel/guardrail-checks.ts';
import type { SecretRef } from '../../kernel/secret-env.ts';
import type { IRSubjects } from '../../kernel/subjects.ts';
import type { EnvironmentInfo } from '../environments/apply.ts';

export type { SecretRef } from '../../kernel/secret-env.ts';

export type IRStore = { type: 'memory'; maxEntries: number } | { type: 'redis'; url: SecretRef; keyPrefix: string };

/** The limits store; a Redis one also says what a limited request gets while Redis is unreachable. */
export type IRLimitStore =
  | Extract<IRStore, { type: 'memory' }>
  | (Extract<IRStore, { type: 'redis' }> & { onUnavailable: NonNullable<T.LimitStore['onUnavailable']> });

/** Where Responses API conversations are kept, and how long after their last use. */
export type IRResponseStore = IRStore & { ttlMs: number };

export interface IRGateway {
  name: string;
  listen: { host: string; port: number };
  limits: { maxBodyBytes: number; maxResponseBytes: number; requestTimeoutMs: number; headersTimeoutMs: number };
  auth: {
    jwt: {
      issuer: string;
      audiences: string[];
      algorithms: NonNullable<T.JwtIssuer['algorithms']>;
      secret?: SecretRef;
      publicKey?: string;
    }[];
  };
  /** `responses` is absent when none is configured: the Responses API is then stateless. */
  stores: { limits: IRLimitStore; cache: IRStore; responses?: IRResponseStore };
  logging: { level: NonNullable<T.GatewayLogging['level']>; usage: Required<T.UsageLog> };
  metrics: Required<T.GatewayMetrics>;
  /** Absent when no OTLP export is configured: the gateway then makes no span. */
  telemetry?: { otlp: IROtlpTraces };
  /** `sessionKey` seals MCP sessions alike on every replica; without it each process makes its own key. */
  mcp: { sessionKey?: SecretRef };
  kubernetes: {
    namespace: string;
    image: string;
    replicas: number;
    resources: { requests: { cpu?: string; memory?: string }; limits: { cpu?: string; memory?: string } };
    autoscaling: Required<T.Autoscaling>;
  };
  envoy: Required<T.EnvoySettings>;
  alerts: IRAlerts;
}

/** The k8s target's alerts and dashboard: switches and ratios; the thresholds they scale come from routes and policies. */
export interface IRAlerts {
  enabled: boolean;
  dashboard: boolean;
  forMs: number;
  labels: Record<string, string>;
  resourceLabels: Record<string, string>;
  errorRatio: number;
  providerFailureRatio: number;
  latencyRatioOfTimeout: number;
  tokensPerMinuteRatio: number;
  budgetProjection: number;
  budgetWindowMs: number;
  disable: NonNullable<T.GatewayAlerts['disable']>;
}

/** An OTLP/HTTP traces export; header values are references, resolved by the gateway at load. */
export interface IROtlpTraces {
  endpoint: string;
  headers: Record<string, SecretRef>;
  samplingRatio: number;
  serviceName: string;
}

export interface IRModel {
  name: string;
  version?: string;
  deployment?: string;
  type: NonNullable<T.ProviderModel['type']>;
  /** USD per million tokens; null when the config gives no price (cost is then reported as 0). */
  inputPricePer1M: number | null;
  outputPricePer1M: number | null;
  /** USD per million cached input tokens, when the config sets them (else derived from the input price). */
  cacheReadPricePer1M?: number;
  cacheWritePricePer1M?: number;
  contextWindow?: number;
  /** Takes `reasoning_effort`; present only when true. */
  reasoning?: true;
  deprecated: boolean;
}

export interface IRProvider {
  name: string;
  labels: Record<string, string>;
  type: T.ProviderSpec['type'];
  /** Without a trailing slash. */
  baseUrl: string;
  credential: SecretRef | null;
  apiVersion?: string;
  timeoutMs: number;
  retries: number;
  headers: Record<string, string>;
  /** One breaker per model of the provider (see the schema's `circuitBreaker`). */
  circuitBreaker: IRCircuitBreaker;
  models: IRModel[];
  /** `bedrock` only. */
  aws?: IRAws;
}

export interface IRCircuitBreaker {
  enabled: boolean;
  consecutiveFailures: number;
  failureRatio: number;
  minimumRequests: number;
  windowMs: number;
  openForMs: number;
  halfOpenProbes: number;
}

/** Where a `bedrock` provider signs for, and its credentials: an access key pair, or a web identity for STS. */
export type IRAws = { region: string } & (
  | { accessKeyId: SecretRef; secretAccessKey: SecretRef; sessionToken?: SecretRef }
  | { webIdentityTokenFile: string; roleArn: string; stsEndpoint: string }
);

export type IRModelRef = T.ModelRef;

export interface IRRoute {
  name: string;
  labels: Record<string, string>;
  type: NonNullable<T.RouteSpec['type']>;
  strategy: NonNullable<T.RouteSpec['strategy']>;
  targets: (IRModelRef & { weight: number })[];
  fallbacks: IRModelRef[];
  retry: { attempts: number; backoffMs: number; statuses: number[]; onTimeout: boolean; onReset: boolean };
  timeoutMs: number;
  cache: { enabled: boolean; ttlMs: number };
  maxTokens?: number;
  /** Other model ids that land on the route (absent when none): exact ids and `*`/`?` glob patterns, each list sorted. */
  aliases?: IRRouteAliases;
  /** Guardrail names in the order written, after the caller's policy's; absent when none. */
  guardrails?: string[];
}

export interface IRRouteAliases {
  exact: string[];
  patterns: string[];
}

export interface IRPromptVersion {
  messages: T.PromptMessage[];
  temperature?: number;
  maxTokens?: number;
}

export interface IRPrompt {
  name: string;
  labels: Record<string, string>;
  route: string;
  /** JSON Schema of the variables (an object schema). */
  variables: Record<string, unknown>;
  versions: Record<string, IRPromptVersion>;
  serve: { version: string; weight: number }[];
  /** The prompt's own endpoint; `request` is always filled (the default derived from `variables`). */
  expose?: IRPromptExpose;
  /** Example calls (request bodies and answers), checked against `expose`'s schemas. */
  tests?: T.PromptTestCase[];
}

export interface IRPromptExpose {
  method: 'POST';
  path: string;
  /** JSON Schema of the request body (the variables). */
  request: Record<string, unknown>;
  /** JSON Schema of the answer; absent for a text prompt (answered as a chat completion). */
  response?: Record<string, unknown>;
}

export interface IRConsumer {
  name: string;
  labels: Record<string, string>;
  apiKeys: T.ApiKeyHash[];
  jwt?: { issuer: string; claims: Record<string, string> };
}

export interface IRAccessPolicy {
  name: string;
  labels: Record<string, string>;
  /** Named consumers and the label selector, as written: `consumersOf` (kernel/subjects.ts) resolves them. */
  subjects: IRSubjects;
  /** Route and prompt names granted, sorted, or `['*']` for every one: read them through kernel/grants.ts. */
  routes: string[];
  prompts: string[];
  /** `provider/model` allow-list; absent means every target of a granted route. */
  allowedModels?: string[];
  limits: T.AccessLimits;
  redaction: Required<T.Redaction>;
  /** MCP grants; absent when the policy grants no MCP server. */
  mcp?: IRMcpAccess;
  /** Guardrail names in the order written, run before the route's; absent when none. */
  guardrails?: string[];
}

/** A guardrail with its defaults filled in; its test cases stay in the config (the compiler runs them). */
export interface IRGuardrail {
  name: string;
  labels: Record<string, string>;
  stage: NonNullable<T.GuardrailSpec['stage']>;
  action: NonNullable<T.GuardrailSpec['action']>;
  timeoutMs: number;
  onError: NonNullable<T.GuardrailSpec['onError']>;
  check: IRGuardrailCheck;
}

/** One checker, by `type`: the built-in ones as the kernel runs them, the remote ones with their endpoints. */
export type IRGuardrailCheck =
  | BuiltInCheck
  | { type: 'moderation'; url: string; credential: SecretRef | null; model?: string; thresholds: Record<string, number> }
  | {
      type: 'presidio';
      analyzerUrl: string;
      anonymizerUrl?: string;
      language: string;
      entities?: string[];
      scoreThreshold: number;
    }
  | { type: 'webhook'; url: string; credential: SecretRef | null };

export interface IRMcpTool {
  name: string;
  description?: string;
  risk: 'read' | 'write' | 'destructive';
}

export interface IRMcpServer {
  name: string;
  labels: Record<string, string>;
  /** The Streamable HTTP endpoint, as written. */
  url: string;
  credential: SecretRef | null;
  /** The header the credential goes in; `authorization` values get the `Bearer ` prefix. */
  credentialHeader: string;
  timeoutMs: number;
  /** The pinned catalogue, by name; absent when the server's own tool list is served (filtered by grants). */
  tools?: IRMcpTool[];
}

/** What one policy grants on one server. Patterns are names or globs (`*`, `?`), as written. */
export interface IRMcpGrant {
  /** An McpServer name: name globs of the config are expanded. */
  server: string;
  tools: string[];
  excludeTools: string[];
  resources: string[];
  prompts: string[];
}

export interface IRMcpAccess {
  servers: IRMcpGrant[];
  callsPerMinute?: number;
  redactArguments: boolean;
}

export interface IR {
  /** Bumped on breaking changes of this shape; the runtime refuses a config of another version. */
  irVersion: 3;
  environment: EnvironmentInfo;
  gateway: IRGateway;
  providers: IRProvider[];
  routes: IRRoute[];
  prompts: IRPrompt[];
  consumers: IRConsumer[];
  accessPolicies: IRAccessPolicy[];
  /** Absent when the config declares no McpServer (so configs without MCP compile as before). */
  mcpServers?: IRMcpServer[];
  /** Absent when the config declares no Guardrail; sorted by name. */
  guardrails?: IRGuardrail[];
}
