// The resource kinds and the schema file that defines each. Single source for loader, validator and generator.
export const API_VERSION = 'modelgate.dev/v1';

export const KIND_SCHEMA_FILES = {
  Gateway: 'gateway.schema.json',
  Provider: 'provider.schema.json',
  Route: 'route.schema.json',
  Prompt: 'prompt.schema.json',
  Consumer: 'consumer.schema.json',
  AccessPolicy: 'accesspolicy.schema.json',
  McpServer: 'mcpserver.schema.json',
  Guardrail: 'guardrail.schema.json',
  Policy: 'policy.schema.json',
  PolicyException: 'policyexception.schema.json',
  Environment: 'environment.schema.json',
} as const;

export type Kind = keyof typeof KIND_SCHEMA_FILES;
export const KINDS = Object.keys(KIND_SCHEMA_FILES) as Kind[];
export const COMMON_SCHEMA_FILE = 'common.schema.json';
/** Not a resource kind: the gateway's usage log line, published for log consumers. */
export const USAGE_RECORD_SCHEMA_FILE = 'usage-record.schema.json';
export const SCHEMA_BASE_URL = 'https://modelgate.dev/schema/v1/';

export function isKind(value: unknown): value is Kind {
  return typeof value === 'string' && Object.hasOwn(KIND_SCHEMA_FILES, value);
}
