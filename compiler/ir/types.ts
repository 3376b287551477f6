// The IR: a normalized, fully resolved, environment-specific model. Targets read only this.
// Defaults are filled, durations are milliseconds, `*` grants are expanded, arrays are sorted by name.
import type * as T from '../../schema/types.ts';
import type { SecretRef } from '../../kernel/secret-env.ts';

export type { SecretRef } from '../../kernel/secret-env.ts';

export type IRStore =
  | { type: 'memory'; maxEntries: number }
  | { type: 'redis'; url: SecretRef; keyPrefix: string };

export interface IRGateway {
  name: string;
  listen: { host: string; port: number };
  limits: { maxBodyBytes: number; maxResponseBytes: number; requestTimeoutMs: number; headersTimeoutMs: number };
  auth: {
    jwt: {
      issuer: string;
      audiences: string[];
      algorithms: ('HS256' | 'RS256' | 'ES256')[];
      secret?: SecretRef;
      publicKey?: string;
    }[];
  };
  stores: { limits: IRStore; cache: IRStore };
  logging: { level: 'debug' | 'info' | 'warn' | 'error'; usage: { enabled: boolean; path: string; includePrompts: boolean } };
  metrics: { enabled: boolean; path: string };
  kubernetes: {
    namespace: string;
    image: string;
    replicas: number;
    resources: { requests: { cpu?: string; memory?: string }; limits: { cpu?: string; memory?: string } };
    autoscaling: { enabled: boolean; maxReplicas: number; targetCPUUtilization: number };
  };
  envoy: { mode: 'direct' | 'front'; port: number; adminPort: number; image: string };
}

export interface IRModel {
  name: string;
  version?: string;
  deployment?: string;
  type: 'chat' | 'embeddings';
  /** USD per million tokens; null when the config gives no price (cost is then reported as 0). */
  inputPricePer1M: number | null;
  outputPricePer1M: number | null;
  contextWindow?: number;
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
  models: IRModel[];
}

export interface IRModelRef {
  provider: string;
  model: string;
}

export interface IRRoute {
  name: string;
  labels: Record<string, string>;
  type: 'chat' | 'embeddings';
  targets: (IRModelRef & { weight: number })[];
  fallbacks: IRModelRef[];
  retry: { attempts: number; backoffMs: number; statuses: number[]; onTimeout: boolean; onReset: boolean };
  timeoutMs: number;
  cache: { enabled: boolean; ttlMs: number };
  maxTokens?: number;
}

export interface IRPromptVersion {
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
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
}

export interface IRConsumer {
  name: string;
  labels: Record<string, string>;
  apiKeys: { id: string; sha256: string; expires?: string }[];
  jwt?: { issuer: string; claims: Record<string, string> };
}

export interface IRAccessPolicy {
  name: string;
  labels: Record<string, string>;
  /** Consumers the policy applies to: named ones plus those matched by labels. */
  consumers: string[];
  /** Route and prompt names granted, `*` already expanded. */
  routes: string[];
  prompts: string[];
  /** `provider/model` allow-list; absent means every target of a granted route. */
  allowedModels?: string[];
  limits: { requestsPerMinute?: number; tokensPerMinute?: number; monthlyBudgetUsd?: number };
  redaction: { pii: ('email' | 'phone' | 'card' | 'iban' | 'ipv4')[]; patterns: { name: string; regex: string }[] };
  /** MCP grants; absent when the policy grants no MCP server. */
  mcp?: IRMcpAccess;
}

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
  irVersion: 1;
  environment: { name: string; tier: 'production' | 'staging' | 'testing' | 'development' | 'other' };
  gateway: IRGateway;
  providers: IRProvider[];
  routes: IRRoute[];
  prompts: IRPrompt[];
  consumers: IRConsumer[];
  accessPolicies: IRAccessPolicy[];
  /** Absent when the config declares no McpServer (so configs without MCP compile as before). */
  mcpServers?: IRMcpServer[];
}
