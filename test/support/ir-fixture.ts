// All hand-made IR for tests: a builder per piece, and the IRs tests share (`sampleIR` for the targets, `smallIR`
// for the graph, `gatewayIR` for the runtime over the mock providers). No default is written here: each builder
// starts from what the real IR builder makes of a minimal document, so the fixture follows the compiler's defaults.
import { createHash } from 'node:crypto';
import { buildIR } from '../../compiler/ir/build.ts';
import type {
  IR,
  IRAccessPolicy,
  IRConsumer,
  IRGateway,
  IRGuardrail,
  IRGuardrailCheck,
  IRModel,
  IRPrompt,
  IRProvider,
  IRRoute,
} from '../../compiler/ir/types.ts';
import { parseSecretRef } from '../../kernel/secret-env.ts';
import { BEDROCK_TEST_REGION, type MockUpstream } from '../mock-providers/index.ts';
import { doc, resourcesFrom } from './policy-resources.ts';

/** One minimal, label-less document of each kind, built: every field the builders do not set is a default. */
const DEFAULTS = buildIR(
  resourcesFrom(
    doc('Gateway', 'test', '{}', ''),
    doc('Provider', 'openai', 'type: openai\nbaseUrl: https://api.openai.com/v1\nmodels: [{name: gpt-4o-mini}]', ''),
    doc('Route', 'chat', 'targets: [{provider: openai, model: gpt-4o-mini}]', ''),
    doc('Prompt', 'summary', 'route: chat\nversions: {v1: {messages: []}}\nserve: [{version: v1}]', ''),
    doc('Consumer', 'app', '{}', ''),
    doc('AccessPolicy', 'apps', 'subjects: {}', ''),
  ),
  { name: 'test', tier: 'testing' },
);
/** A Guardrail apart: in DEFAULTS it would give every test IR one. */
const GUARDRAIL = buildIR(resourcesFrom(doc('Guardrail', 'guard', 'check: {secrets: {}}', '')), { name: 'test', tier: 'testing' })
  .guardrails![0]!;
const defaults = <K extends 'providers' | 'routes' | 'prompts' | 'consumers' | 'accessPolicies'>(kind: K): IR[K][number] =>
  structuredClone(DEFAULTS[kind][0]!);

/** The defaults, listening on 127.0.0.1 on a free port. */
export function testGateway(overrides: Partial<IRGateway> = {}): IRGateway {
  return { ...structuredClone(DEFAULTS.gateway), listen: { host: '127.0.0.1', port: 0 }, ...overrides };
}

/** Environment `test` (tier testing), the test gateway, and nothing else unless given. */
export function testIR(parts: Partial<Omit<IR, 'irVersion'>> = {}): IR {
  return {
    ...structuredClone(DEFAULTS),
    gateway: testGateway(),
    providers: [],
    routes: [],
    prompts: [],
    consumers: [],
    accessPolicies: [],
    ...parts,
  };
}

/** A chat model without prices. */
export function testModel(name: string, overrides: Partial<IRModel> = {}): IRModel {
  return { ...defaults('providers').models[0]!, name, ...overrides };
}

/** An `openai` provider on api.openai.com without credential or models. */
export function testProvider(name: string, overrides: Partial<IRProvider> = {}): IRProvider {
  return { ...defaults('providers'), name, models: [], ...overrides };
}

/** A chat route to openai/gpt-4o-mini. */
export function testRoute(name: string, overrides: Partial<IRRoute> = {}): IRRoute {
  return { ...defaults('routes'), name, ...overrides };
}

/** One version `v1` without messages, served to everyone. */
export function testPrompt(name: string, route: string, overrides: Partial<IRPrompt> = {}): IRPrompt {
  return { ...defaults('prompts'), name, route, ...overrides };
}

export function testConsumer(name: string, overrides: Partial<IRConsumer> = {}): IRConsumer {
  return { ...defaults('consumers'), name, ...overrides };
}

/** Grants nothing, limits nothing, redacts nothing; `consumers` names its subjects (no label selector). */
export function testPolicy(
  name: string,
  { consumers, ...overrides }: Partial<IRAccessPolicy> & { consumers?: string[] } = {},
): IRAccessPolicy {
  return { ...defaults('accessPolicies'), name, ...(consumers ? { subjects: { consumers } } : {}), ...overrides };
}

/** Request-side, blocking, 2 s timeout, onError deny unless overridden. */
export function testGuardrail(name: string, check: IRGuardrailCheck, overrides: Partial<IRGuardrail> = {}): IRGuardrail {
  return { ...structuredClone(GUARDRAIL), name, check, ...overrides };
}

// --- sampleIR: every target's features -------------------------------------------------------------------------

const SAMPLE_JWT_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEcoTNGRJzq85QKsi1iSprF21YmNDR
UJdnY0YAFU4EERToPonrrliy24IJTAlM3Q46U2zmItJcS4qTB2V2K5jXtQ==
-----END PUBLIC KEY-----
`;

/** A fresh object each time: tests change one resource's labels. */
const platform = () => ({ team: 'platform' });
const priced = (name: string, extra: Partial<IRModel> = {}) => testModel(name, { inputPricePer1M: 0.15, outputPricePer1M: 0.6, ...extra });
const sampleRoute = (name: string, r: Partial<IRRoute>) => testRoute(name, { labels: platform(), timeoutMs: 60_000, ...r });

/**
 * Providers of each type, weighted routes with fallbacks, prompts, API-key and JWT consumers, access policies with
 * limits: what exercises every target. A fresh copy each call, so tests change what they need.
 */
export function sampleIR(): IR {
  const gateway = testGateway();
  return testIR({
    environment: { name: 'prod', tier: 'production' },
    gateway: {
      ...gateway,
      name: 'acme-gateway',
      listen: { host: '0.0.0.0', port: 8080 },
      limits: { ...gateway.limits, maxBodyBytes: 2_097_152 },
      auth: {
        jwt: [
          { issuer: 'https://sso.acme.example', audiences: ['modelgate'], algorithms: ['ES256'], publicKey: SAMPLE_JWT_PUBLIC_KEY },
          { issuer: 'https://legacy.acme.example', audiences: [], algorithms: ['HS256'], secret: parseSecretRef('env:LEGACY_JWT_SECRET') },
        ],
      },
      stores: {
        ...gateway.stores,
        limits: { type: 'redis', url: parseSecretRef('env:REDIS_URL'), keyPrefix: 'modelgate:prod:', onUnavailable: 'deny' },
      },
      logging: { ...gateway.logging, usage: { ...gateway.logging.usage, path: '/var/log/modelgate/usage.jsonl' } },
      kubernetes: {
        ...gateway.kubernetes,
        namespace: 'ai-gateway',
        replicas: 3,
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
        autoscaling: { ...gateway.kubernetes.autoscaling, maxReplicas: 12 },
      },
    },
    providers: [
      testProvider('anthropic', {
        labels: platform(),
        type: 'anthropic',
        baseUrl: 'https://api.anthropic.com',
        credential: parseSecretRef('env:ANTHROPIC_API_KEY'),
        apiVersion: '2023-06-01',
        timeoutMs: 90_000,
        models: [priced('claude-3-5-haiku-20241022', { inputPricePer1M: 0.8, outputPricePer1M: 4 })],
      }),
      testProvider('azure-openai', {
        labels: platform(),
        type: 'azure-openai',
        baseUrl: 'https://acme-weu.openai.azure.com/openai',
        credential: parseSecretRef('k8s:azure-openai/api-key'),
        apiVersion: '2024-10-21',
        models: [
          priced('gpt-4o', { deployment: 'gpt-4o-weu', inputPricePer1M: 2.75, outputPricePer1M: 11 }),
          priced('gpt-4o-mini', { deployment: 'gpt-4o-mini-weu' }),
        ],
      }),
      testProvider('mistral', {
        labels: platform(),
        type: 'openai-compatible',
        baseUrl: 'https://api.mistral.ai/v1',
        credential: parseSecretRef('file:/run/secrets/mistral/api-key'),
        models: [priced('mistral-small-latest', { inputPricePer1M: 0.2, outputPricePer1M: 0.6 })],
      }),
      testProvider('openai', {
        labels: platform(),
        credential: parseSecretRef('env:OPENAI_API_KEY'),
        headers: { 'OpenAI-Organization': 'org-acme' },
        models: [
          priced('gpt-4o-mini'),
          priced('text-embedding-3-small', { type: 'embeddings', inputPricePer1M: 0.02, outputPricePer1M: 0 }),
        ],
      }),
      testProvider('vllm', {
        labels: platform(),
        type: 'openai-compatible',
        baseUrl: 'http://vllm.ml.svc:8000/v1',
        timeoutMs: 30_000,
        retries: 2,
        headers: { 'X-Acme-Cluster': 'prod-eu1' },
        models: [priced('meta-llama/Llama-3.1-8B-Instruct', { inputPricePer1M: 0, outputPricePer1M: 0 })],
      }),
    ],
    routes: [
      sampleRoute('chat-cheap', {
        targets: [
          { provider: 'openai', model: 'gpt-4o-mini', weight: 70 },
          { provider: 'azure-openai', model: 'gpt-4o-mini', weight: 30 },
        ],
        fallbacks: [{ provider: 'vllm', model: 'meta-llama/Llama-3.1-8B-Instruct' }],
        retry: { attempts: 2, backoffMs: 100, statuses: [429, 503], onTimeout: false, onReset: true },
        timeoutMs: 30_000,
      }),
      sampleRoute('chat-default', {
        targets: [
          { provider: 'openai', model: 'gpt-4o-mini', weight: 80 },
          { provider: 'anthropic', model: 'claude-3-5-haiku-20241022', weight: 20 },
        ],
        fallbacks: [{ provider: 'azure-openai', model: 'gpt-4o-mini' }],
        maxTokens: 2048,
      }),
      sampleRoute('chat-eu', { labels: { team: 'payments' }, targets: [{ provider: 'azure-openai', model: 'gpt-4o', weight: 100 }] }),
      sampleRoute('chat-local', {
        targets: [
          { provider: 'mistral', model: 'mistral-small-latest', weight: 50 },
          { provider: 'vllm', model: 'meta-llama/Llama-3.1-8B-Instruct', weight: 50 },
        ],
      }),
      sampleRoute('embeddings', {
        type: 'embeddings',
        targets: [{ provider: 'openai', model: 'text-embedding-3-small', weight: 100 }],
        retry: { ...testRoute('embeddings').retry, attempts: 2 },
        timeoutMs: 20_000,
        cache: { enabled: true, ttlMs: 3_600_000 },
      }),
    ],
    prompts: [
      testPrompt('support-reply', 'chat-default', {
        labels: { team: 'support' },
        variables: { type: 'object', properties: { customer: { type: 'string' } }, required: ['customer'] },
        versions: {
          v1: { messages: [{ role: 'system', content: 'You help {{customer}}.' }] },
          v2: { messages: [{ role: 'system', content: 'You help {{customer}} kindly.' }], temperature: 0.2 },
        },
        serve: [
          { version: 'v1', weight: 50 },
          { version: 'v2', weight: 50 },
        ],
      }),
    ],
    consumers: [
      testConsumer('billing', {
        labels: { team: 'payments' },
        jwt: { issuer: 'https://sso.acme.example', claims: { sub: 'svc-billing' } },
      }),
      testConsumer('search', { labels: { team: 'search' }, apiKeys: [{ id: 'search-2026', sha256: 'a'.repeat(64) }] }),
      testConsumer('support', {
        labels: { team: 'support' },
        apiKeys: [{ id: 'support-2026', sha256: 'b'.repeat(64), expires: '2027-01-01' }],
      }),
    ],
    accessPolicies: [
      testPolicy('payments', {
        consumers: ['billing'],
        routes: ['chat-eu'],
        allowedModels: ['azure-openai/gpt-4o'],
        limits: { requestsPerMinute: 60, monthlyBudgetUsd: 500 },
        redaction: { pii: ['card', 'iban'], patterns: [] },
      }),
      testPolicy('search', {
        consumers: ['search'],
        routes: ['chat-cheap', 'embeddings'],
        limits: { requestsPerMinute: 600, tokensPerMinute: 200_000 },
      }),
      testPolicy('support', {
        consumers: ['support'],
        routes: ['chat-cheap', 'chat-default'],
        prompts: ['support-reply'],
        limits: { requestsPerMinute: 120, tokensPerMinute: 100_000 },
        redaction: { pii: ['email', 'phone'], patterns: [{ name: 'ticket', regex: 'TCK-\\d+' }] },
      }),
    ],
  });
}

/** `sampleIR` and the native providers: Bedrock on a key pair and on a web identity, Gemini, each behind a route. */
export function sampleIRWithNatives(): IR {
  const ir = sampleIR();
  const provider = (name: string, p: Partial<IRProvider>) => testProvider(name, { labels: platform(), ...p });
  ir.providers.push(
    provider('bedrock', {
      type: 'bedrock',
      baseUrl: 'https://bedrock-runtime.eu-west-1.amazonaws.com',
      aws: {
        region: 'eu-west-1',
        accessKeyId: parseSecretRef('env:AWS_ACCESS_KEY_ID'),
        secretAccessKey: parseSecretRef('k8s:aws-bedrock/secret-access-key'),
      },
      models: [priced('anthropic.claude-3-5-haiku-20241022-v1:0')],
    }),
    provider('bedrock-irsa', {
      type: 'bedrock',
      baseUrl: 'https://bedrock-runtime.us-east-1.amazonaws.com',
      aws: {
        region: 'us-east-1',
        webIdentityTokenFile: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
        roleArn: 'arn:aws:iam::123456789012:role/modelgate-bedrock',
        stsEndpoint: 'https://sts.us-east-1.amazonaws.com',
      },
      models: [priced('amazon.nova-lite-v1:0')],
    }),
    provider('gemini', {
      type: 'gemini',
      baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
      credential: parseSecretRef('env:GEMINI_API_KEY'),
      models: [priced('gemini-2.5-flash')],
    }),
  );
  ir.routes.push(
    sampleRoute('claude-bedrock', {
      targets: [{ provider: 'bedrock', model: 'anthropic.claude-3-5-haiku-20241022-v1:0', weight: 100 }],
      fallbacks: [{ provider: 'bedrock-irsa', model: 'amazon.nova-lite-v1:0' }],
    }),
    sampleRoute('gemini-flash', { targets: [{ provider: 'gemini', model: 'gemini-2.5-flash', weight: 100 }] }),
  );
  ir.routes.sort((a, b) => (a.name < b.name ? -1 : 1));
  ir.providers.sort((a, b) => (a.name < b.name ? -1 : 1));
  ir.accessPolicies.find((p) => p.name === 'support')!.routes.push('claude-bedrock', 'gemini-flash');
  return ir;
}

// --- smallIR: the graph's ---------------------------------------------------------------------------------------

const graphProvider = (name: string, models: string[]) =>
  testProvider(name, {
    baseUrl: `https://${name}.example`,
    models: models.map((m) => testModel(m, { inputPricePer1M: 1, outputPricePer1M: 2 })),
  });

/** Two teams, a prompt, a weighted route with fallbacks, a consumer no policy of its own covers. */
export function smallIR(): IR {
  return testIR({
    providers: [graphProvider('openai', ['gpt-4o', 'gpt-4o-mini']), graphProvider('anthropic', ['claude'])],
    routes: [
      testRoute('chat', {
        targets: [
          { provider: 'openai', model: 'gpt-4o-mini', weight: 3 },
          { provider: 'anthropic', model: 'claude', weight: 1 },
        ],
        fallbacks: [{ provider: 'openai', model: 'gpt-4o' }],
      }),
      testRoute('premium', { targets: [{ provider: 'openai', model: 'gpt-4o', weight: 1 }] }),
    ],
    prompts: [testPrompt('summary', 'chat')],
    consumers: [
      testConsumer('pay-api', { labels: { team: 'payments' } }),
      testConsumer('support-bot', { labels: { team: 'support' } }),
      testConsumer('loner'),
    ],
    accessPolicies: [
      testPolicy('payments', { consumers: ['pay-api'], routes: ['chat', 'premium'], limits: { monthlyBudgetUsd: 100 } }),
      testPolicy('support', { consumers: ['support-bot', 'loner'], prompts: ['summary'] }),
    ],
  });
}

// --- gatewayIR: the runtime's, over the mock providers --------------------------------------------------------

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Client keys of `gatewayIR`'s consumers. */
export const KEYS = { alice: 'sk-test-alice', bob: 'sk-test-bob', carol: 'sk-test-carol' } as const;

/** Quick to fail: 5 ms between retries, 10 s per request, cache entries kept a minute. */
function runtimeRoute(name: string, r: Partial<IRRoute>): IRRoute {
  const route = testRoute(name);
  return testRoute(name, { retry: { ...route.retry, backoffMs: 5 }, timeoutMs: 10_000, cache: { ...route.cache, ttlMs: 60_000 }, ...r });
}

/**
 * A small IR that uses every runtime feature, in front of the mocks: credentials `env:OAI_KEY` and `env:ANT_KEY`,
 * consumers alice (everything), bob (route `chat`, 2 requests a minute) and carol (nothing) with the `KEYS`.
 * Circuit breakers are off.
 */
export function gatewayIR(oai: MockUpstream, ant: MockUpstream, natives?: NativeMocks): IR {
  const gateway = testGateway();
  const ir = testIR({
    gateway: {
      ...gateway,
      name: 'test-gateway',
      limits: { ...gateway.limits, maxBodyBytes: 64 * 1024, requestTimeoutMs: 30_000, headersTimeoutMs: 5_000 },
      stores: { limits: { type: 'memory', maxEntries: 1000 }, cache: { type: 'memory', maxEntries: 1000 } },
      logging: { ...gateway.logging, level: 'error' },
    },
    providers: [
      testProvider('oai', {
        baseUrl: oai.baseUrl,
        credential: parseSecretRef('env:OAI_KEY'),
        timeoutMs: 2_000,
        models: [
          testModel('gpt-4o-mini', { inputPricePer1M: 0.15, outputPricePer1M: 0.6 }),
          testModel('text-embedding-3-small', { type: 'embeddings', inputPricePer1M: 0.02, outputPricePer1M: 0 }),
        ],
      }),
      testProvider('ant', {
        type: 'anthropic',
        baseUrl: ant.origin,
        credential: parseSecretRef('env:ANT_KEY'),
        apiVersion: '2023-06-01',
        timeoutMs: 2_000,
        models: [testModel('claude-3-5-haiku', { inputPricePer1M: 0.8, outputPricePer1M: 4 })],
      }),
    ],
    routes: [
      runtimeRoute('chat', {
        targets: [{ provider: 'oai', model: 'gpt-4o-mini', weight: 100 }],
        fallbacks: [{ provider: 'ant', model: 'claude-3-5-haiku' }],
        maxTokens: 500,
      }),
      runtimeRoute('claude', { targets: [{ provider: 'ant', model: 'claude-3-5-haiku', weight: 100 }] }),
      runtimeRoute('cached', {
        targets: [{ provider: 'oai', model: 'gpt-4o-mini', weight: 100 }],
        cache: { enabled: true, ttlMs: 60_000 },
      }),
      runtimeRoute('embed', { type: 'embeddings', targets: [{ provider: 'oai', model: 'text-embedding-3-small', weight: 100 }] }),
    ],
    prompts: [
      testPrompt('greet', 'claude', {
        variables: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string', minLength: 1 } },
        },
        versions: {
          v1: {
            messages: [
              { role: 'system', content: 'Be brief.' },
              { role: 'user', content: 'Say hello to {{name}} & co.' },
            ],
            temperature: 0.2,
            maxTokens: 50,
          },
        },
      }),
    ],
    consumers: (['alice', 'bob', 'carol'] as const).map((name) =>
      testConsumer(name, { apiKeys: [{ id: `${name}-1`, sha256: sha256(KEYS[name]) }] }),
    ),
    accessPolicies: [
      testPolicy('everything', {
        consumers: ['alice'],
        routes: ['cached', 'chat', 'claude', 'embed'],
        prompts: ['greet'],
        redaction: { pii: ['email'], patterns: [{ name: 'order-id', regex: 'ORD-[0-9]{4}' }] },
      }),
      testPolicy('limited', { consumers: ['bob'], routes: ['chat'], limits: { requestsPerMinute: 2 } }),
    ],
  });
  if (natives) addNatives(ir, natives);
  // Tests on one gateway script failures one after another, which would open circuits the next test does not
  // expect; the breaker's tests turn it on.
  for (const p of ir.providers) p.circuitBreaker = { ...p.circuitBreaker, enabled: false };
  return ir;
}

/** The model ids the native providers serve in `gatewayIR`. */
export const NATIVE_MODELS = { bedrock: 'anthropic.claude-3-5-haiku-20241022-v1:0', gemini: 'gemini-2.5-flash' } as const;

/** Mock Bedrock and Gemini upstreams: with them, `gatewayIR` adds providers `brk` and `gem`, routes `bedrock` and `gemini`. */
export interface NativeMocks {
  brk: MockUpstream;
  gem: MockUpstream;
}

/** Credentials `env:BRK_KEY_ID`, `env:BRK_SECRET` and `env:GEM_KEY`; alice may use both routes. */
function addNatives(ir: IR, { brk, gem }: NativeMocks): void {
  ir.providers.push(
    testProvider('brk', {
      type: 'bedrock',
      baseUrl: brk.baseUrl,
      aws: {
        region: BEDROCK_TEST_REGION,
        accessKeyId: parseSecretRef('env:BRK_KEY_ID'),
        secretAccessKey: parseSecretRef('env:BRK_SECRET'),
      },
      timeoutMs: 2_000,
      models: [testModel(NATIVE_MODELS.bedrock, { inputPricePer1M: 0.8, outputPricePer1M: 4 })],
    }),
    testProvider('gem', {
      type: 'gemini',
      baseUrl: gem.baseUrl,
      credential: parseSecretRef('env:GEM_KEY'),
      timeoutMs: 2_000,
      models: [testModel(NATIVE_MODELS.gemini, { inputPricePer1M: 0.3, outputPricePer1M: 2.5 })],
    }),
  );
  ir.routes.push(
    runtimeRoute('bedrock', { targets: [{ provider: 'brk', model: NATIVE_MODELS.bedrock, weight: 100 }] }),
    runtimeRoute('gemini', { targets: [{ provider: 'gem', model: NATIVE_MODELS.gemini, weight: 100 }] }),
  );
  ir.accessPolicies[0]!.routes.push('bedrock', 'gemini');
}

/** The chat routes of `ir` on the ranked and measured strategies in turn: priority, lowest-cost, lowest-latency. */
export function withRouteStrategies(ir: IR): IR {
  const strategies = ['priority', 'lowest-cost', 'lowest-latency'] as const;
  ir.routes.filter((r) => r.type === 'chat').forEach((r, i) => (r.strategy = strategies[i % strategies.length]!));
  return ir;
}

// --- withMcpServers: MCP servers and grants over a hand-made IR, for the targets' tests --------------------------

// MCP servers and grants added to a hand-made IR, for the targets' tests: a pinned server behind a k8s Secret and
// an unpinned one behind a named header, granted by two policies with globs, exclusions, a call limit and redaction.
export function withMcpServers(ir: IR): IR {
  ir.mcpServers = [
    {
      name: 'docs',
      labels: {},
      url: 'http://docs-mcp.tools.svc:8080/mcp',
      credential: { ref: 'env:DOCS_MCP_KEY', source: 'env', name: 'DOCS_MCP_KEY' },
      credentialHeader: 'x-api-key',
      timeoutMs: 30_000,
    },
    {
      name: 'github',
      labels: {},
      url: 'https://api.githubcopilot.com/mcp/',
      credential: { ref: 'k8s:github-mcp/apiKey', source: 'k8s', name: 'github-mcp', key: 'apiKey' },
      credentialHeader: 'authorization',
      timeoutMs: 60_000,
      tools: [
        { name: 'create_issue', risk: 'write' },
        { name: 'delete_issue', risk: 'destructive' },
        { name: 'get_issue', description: 'Read one issue.', risk: 'read' },
        { name: 'list_issues', risk: 'read' },
      ],
    },
  ];
  const [first, second] = ir.accessPolicies;
  first!.mcp = {
    servers: [
      { server: 'docs', tools: ['search*'], excludeTools: [], resources: ['docs://*'], prompts: [] },
      { server: 'github', tools: ['get_issue', 'list_*'], excludeTools: [], resources: [], prompts: [] },
    ],
    callsPerMinute: 60,
    redactArguments: true,
  };
  second!.mcp = {
    servers: [{ server: 'github', tools: ['*'], excludeTools: ['delete_*'], resources: [], prompts: [] }],
    redactArguments: false,
  };
  return ir;
}
