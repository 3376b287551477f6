/* Generated from schema/*.schema.json by `npm run gen:types`. Do not edit. */
// Paths are document paths: `[]` stands for every item of a list, `*` for every value of a map.

/** The `default` of each location of each kind's schema: what the compiler fills in when a value is absent. */
export const SCHEMA_DEFAULTS = {
  Gateway: {
    "metadata.labels": {},
    "spec.listen.host": "0.0.0.0",
    "spec.listen.port": 8080,
    "spec.limits.maxBodyBytes": 1048576,
    "spec.limits.maxResponseBytes": 67108864,
    "spec.limits.requestTimeout": "120s",
    "spec.limits.headersTimeout": "10s",
    "spec.auth.jwt": [],
    "spec.auth.jwt[].audiences": [],
    "spec.auth.jwt[].algorithms": ["RS256","ES256"],
    "spec.stores.limits": {"type":"memory"},
    "spec.stores.limits.keyPrefix": "modelgate:",
    "spec.stores.limits.maxEntries": 10000,
    "spec.stores.cache": {"type":"memory"},
    "spec.stores.cache.keyPrefix": "modelgate:",
    "spec.stores.cache.maxEntries": 10000,
    "spec.stores.responses.keyPrefix": "modelgate:",
    "spec.stores.responses.maxEntries": 10000,
    "spec.stores.responses.ttl": "1h",
    "spec.logging.level": "info",
    "spec.logging.usage.enabled": true,
    "spec.logging.usage.path": "stdout",
    "spec.logging.usage.includePrompts": false,
    "spec.metrics.enabled": true,
    "spec.metrics.path": "/metrics",
    "spec.kubernetes.namespace": "modelgate",
    "spec.kubernetes.image": "node:20-alpine",
    "spec.kubernetes.replicas": 2,
    "spec.kubernetes.resources.requests": {},
    "spec.kubernetes.resources.limits": {},
    "spec.kubernetes.autoscaling.enabled": true,
    "spec.kubernetes.autoscaling.maxReplicas": 10,
    "spec.kubernetes.autoscaling.targetCPUUtilization": 70,
    "spec.envoy.mode": "direct",
    "spec.envoy.port": 10000,
    "spec.envoy.adminPort": 9901,
    "spec.envoy.image": "envoyproxy/envoy:v1.31-latest",
  },
  Provider: {
    "metadata.labels": {},
    "spec.timeout": "60s",
    "spec.retries": 1,
    "spec.headers": {},
    "spec.models[].type": "chat",
    "spec.models[].reasoning": false,
    "spec.models[].deprecated": false,
  },
  Route: {
    "metadata.labels": {},
    "spec.type": "chat",
    "spec.targets[].weight": 100,
    "spec.fallbacks": [],
    "spec.retry.attempts": 1,
    "spec.retry.backoff": "200ms",
    "spec.retry.on": [429,500,502,503,504,"timeout","reset"],
    "spec.timeout": "120s",
    "spec.cache.enabled": false,
    "spec.cache.ttl": "5m",
  },
  Prompt: {
    "metadata.labels": {},
    "spec.variables": {"type":"object"},
    "spec.serve[].weight": 100,
  },
  Consumer: {
    "metadata.labels": {},
    "spec.apiKeys": [],
    "spec.jwt.claims": {},
  },
  AccessPolicy: {
    "metadata.labels": {},
    "spec.routes": [],
    "spec.prompts": [],
    "spec.limits": {},
    "spec.mcp.redactArguments": false,
    "spec.redaction.pii": [],
    "spec.redaction.patterns": [],
  },
  McpServer: {
    "metadata.labels": {},
    "spec.credentialHeader": "Authorization",
    "spec.timeout": "60s",
  },
  Policy: {
    "metadata.labels": {},
    "spec.severity": "error",
  },
  PolicyException: {
    "metadata.labels": {},
  },
  Environment: {
    "metadata.labels": {},
    "spec.tier": "development",
  },
} as const;

/** The allowed values (`enum`) of each location of each kind's schema. */
export const SCHEMA_ENUMS = {
  Gateway: {
    "spec.auth.jwt[].algorithms[]": ["HS256","RS256","ES256"],
    "spec.stores.limits.type": ["memory","redis"],
    "spec.stores.cache.type": ["memory","redis"],
    "spec.stores.responses.type": ["memory","redis"],
    "spec.logging.level": ["debug","info","warn","error"],
    "spec.envoy.mode": ["direct","front"],
  },
  Provider: {
    "spec.type": ["openai","anthropic","azure-openai","openai-compatible","bedrock","gemini"],
    "spec.models[].type": ["chat","embeddings"],
  },
  Route: {
    "spec.type": ["chat","embeddings"],
  },
  Prompt: {
    "spec.versions.*.messages[].role": ["system","user","assistant"],
  },
  Consumer: {},
  AccessPolicy: {
    "spec.redaction.pii[]": ["email","phone","card","iban","ipv4"],
  },
  McpServer: {
    "spec.tools[].risk": ["read","write","destructive"],
  },
  Policy: {
    "spec.match.kinds[]": ["Gateway","Provider","Route","Prompt","Consumer","AccessPolicy","McpServer","Environment"],
    "spec.exclude.kinds[]": ["Gateway","Provider","Route","Prompt","Consumer","AccessPolicy","McpServer","Environment"],
    "spec.deny.all[].operator": ["Equals","NotEquals","In","NotIn","Exists","NotExists","GreaterThan","LessThan","Matches","LengthGreaterThan","LengthLessThan"],
    "spec.deny.any[].operator": ["Equals","NotEquals","In","NotIn","Exists","NotExists","GreaterThan","LessThan","Matches","LengthGreaterThan","LengthLessThan"],
    "spec.severity": ["error","warning","info"],
    "spec.tests[].expect": ["pass","fail","skip"],
  },
  PolicyException: {},
  Environment: {
    "spec.tier": ["production","staging","testing","development","other"],
    "spec.patches[].target.kind": ["Gateway","Provider","Route","Prompt","Consumer","AccessPolicy","McpServer"],
    "spec.rules.*": ["error","warning","info","off"],
  },
} as const;
