// A hand-made IR that exercises every target: providers of each type, weighted routes with fallbacks, prompts,
// API-key and JWT consumers, access policies with limits. Tests take a fresh copy and change what they need.
// What it does not set comes from the IR builder (ir-fixture.ts): the schemas' defaults.
import { buildGateway } from '../../compiler/ir/build.ts';
import type { IR, IRModel, IRProvider, IRRoute } from '../../compiler/ir/types.ts';
import { testModel, testProvider, testRoute } from './ir-fixture.ts';

const model = (name: string, extra: Partial<IRModel> = {}): IRModel =>
  testModel(name, { inputPricePer1M: 0.15, outputPricePer1M: 0.6, ...extra });

const provider = (p: Pick<IRProvider, 'name' | 'type' | 'baseUrl' | 'credential' | 'models'> & Partial<IRProvider>): IRProvider =>
  testProvider(p.name, { labels: { team: 'platform' }, ...p });

const route = (r: Pick<IRRoute, 'name' | 'targets'> & Partial<IRRoute>): IRRoute =>
  testRoute(r.name, { labels: { team: 'platform' }, timeoutMs: 60_000, ...r });

export const SAMPLE_JWT_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEcoTNGRJzq85QKsi1iSprF21YmNDR
UJdnY0YAFU4EERToPonrrliy24IJTAlM3Q46U2zmItJcS4qTB2V2K5jXtQ==
-----END PUBLIC KEY-----
`;

const SAMPLE: IR = {
  irVersion: 1,
  environment: { name: 'prod', tier: 'production' },
  gateway: buildGateway('acme-gateway', {
    limits: { maxBodyBytes: 2_097_152 },
    auth: {
      jwt: [
        { issuer: 'https://sso.acme.example', audiences: ['modelgate'], algorithms: ['ES256'], publicKey: SAMPLE_JWT_PUBLIC_KEY },
        { issuer: 'https://legacy.acme.example', algorithms: ['HS256'], secret: 'env:LEGACY_JWT_SECRET' },
      ],
    },
    stores: { limits: { type: 'redis', url: 'env:REDIS_URL', keyPrefix: 'modelgate:prod:' } },
    logging: { usage: { path: '/var/log/modelgate/usage.jsonl' } },
    kubernetes: {
      namespace: 'ai-gateway',
      replicas: 3,
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      autoscaling: { maxReplicas: 12 },
    },
  }),
  providers: [
    provider({
      name: 'anthropic',
      type: 'anthropic',
      baseUrl: 'https://api.anthropic.com',
      credential: { ref: 'env:ANTHROPIC_API_KEY', source: 'env', name: 'ANTHROPIC_API_KEY' },
      apiVersion: '2023-06-01',
      timeoutMs: 90_000,
      models: [model('claude-3-5-haiku-20241022', { inputPricePer1M: 0.8, outputPricePer1M: 4 })],
    }),
    provider({
      name: 'azure-openai',
      type: 'azure-openai',
      baseUrl: 'https://acme-weu.openai.azure.com/openai',
      credential: { ref: 'k8s:azure-openai/api-key', source: 'k8s', name: 'azure-openai', key: 'api-key' },
      apiVersion: '2024-10-21',
      models: [
        model('gpt-4o', { deployment: 'gpt-4o-weu', inputPricePer1M: 2.75, outputPricePer1M: 11 }),
        model('gpt-4o-mini', { deployment: 'gpt-4o-mini-weu' }),
      ],
    }),
    provider({
      name: 'mistral',
      type: 'openai-compatible',
      baseUrl: 'https://api.mistral.ai/v1',
      credential: { ref: 'file:/run/secrets/mistral/api-key', source: 'file', name: '/run/secrets/mistral/api-key' },
      models: [model('mistral-small-latest', { inputPricePer1M: 0.2, outputPricePer1M: 0.6 })],
    }),
    provider({
      name: 'openai',
      type: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      credential: { ref: 'env:OPENAI_API_KEY', source: 'env', name: 'OPENAI_API_KEY' },
      headers: { 'OpenAI-Organization': 'org-acme' },
      models: [model('gpt-4o-mini'), model('text-embedding-3-small', { type: 'embeddings', inputPricePer1M: 0.02, outputPricePer1M: 0 })],
    }),
    provider({
      name: 'vllm',
      type: 'openai-compatible',
      baseUrl: 'http://vllm.ml.svc:8000/v1',
      credential: null,
      timeoutMs: 30_000,
      retries: 2,
      headers: { 'X-Acme-Cluster': 'prod-eu1' },
      models: [model('meta-llama/Llama-3.1-8B-Instruct', { inputPricePer1M: 0, outputPricePer1M: 0 })],
    }),
  ],
  routes: [
    route({
      name: 'chat-cheap',
      targets: [
        { provider: 'openai', model: 'gpt-4o-mini', weight: 70 },
        { provider: 'azure-openai', model: 'gpt-4o-mini', weight: 30 },
      ],
      fallbacks: [{ provider: 'vllm', model: 'meta-llama/Llama-3.1-8B-Instruct' }],
      retry: { attempts: 2, backoffMs: 100, statuses: [429, 503], onTimeout: false, onReset: true },
      timeoutMs: 30_000,
    }),
    route({
      name: 'chat-default',
      targets: [
        { provider: 'openai', model: 'gpt-4o-mini', weight: 80 },
        { provider: 'anthropic', model: 'claude-3-5-haiku-20241022', weight: 20 },
      ],
      fallbacks: [{ provider: 'azure-openai', model: 'gpt-4o-mini' }],
      maxTokens: 2048,
    }),
    route({ name: 'chat-eu', labels: { team: 'payments' }, targets: [{ provider: 'azure-openai', model: 'gpt-4o', weight: 100 }] }),
    route({
      name: 'chat-local',
      targets: [
        { provider: 'mistral', model: 'mistral-small-latest', weight: 50 },
        { provider: 'vllm', model: 'meta-llama/Llama-3.1-8B-Instruct', weight: 50 },
      ],
    }),
    route({
      name: 'embeddings',
      type: 'embeddings',
      targets: [{ provider: 'openai', model: 'text-embedding-3-small', weight: 100 }],
      retry: { attempts: 2, backoffMs: 200, statuses: [429, 500, 502, 503, 504], onTimeout: true, onReset: true },
      timeoutMs: 20_000,
      cache: { enabled: true, ttlMs: 3_600_000 },
    }),
  ],
  prompts: [
    {
      name: 'support-reply',
      labels: { team: 'support' },
      route: 'chat-default',
      variables: { type: 'object', properties: { customer: { type: 'string' } }, required: ['customer'] },
      versions: {
        v1: { messages: [{ role: 'system', content: 'You help {{customer}}.' }] },
        v2: { messages: [{ role: 'system', content: 'You help {{customer}} kindly.' }], temperature: 0.2 },
      },
      serve: [
        { version: 'v1', weight: 50 },
        { version: 'v2', weight: 50 },
      ],
    },
  ],
  consumers: [
    {
      name: 'billing',
      labels: { team: 'payments' },
      apiKeys: [],
      jwt: { issuer: 'https://sso.acme.example', claims: { sub: 'svc-billing' } },
    },
    { name: 'search', labels: { team: 'search' }, apiKeys: [{ id: 'search-2026', sha256: 'a'.repeat(64) }] },
    { name: 'support', labels: { team: 'support' }, apiKeys: [{ id: 'support-2026', sha256: 'b'.repeat(64), expires: '2027-01-01' }] },
  ],
  accessPolicies: [
    {
      name: 'payments',
      labels: {},
      consumers: ['billing'],
      routes: ['chat-eu'],
      prompts: [],
      allowedModels: ['azure-openai/gpt-4o'],
      limits: { requestsPerMinute: 60, monthlyBudgetUsd: 500 },
      redaction: { pii: ['card', 'iban'], patterns: [] },
    },
    {
      name: 'search',
      labels: {},
      consumers: ['search'],
      routes: ['chat-cheap', 'embeddings'],
      prompts: [],
      limits: { requestsPerMinute: 600, tokensPerMinute: 200_000 },
      redaction: { pii: [], patterns: [] },
    },
    {
      name: 'support',
      labels: {},
      consumers: ['support'],
      routes: ['chat-cheap', 'chat-default'],
      prompts: ['support-reply'],
      limits: { requestsPerMinute: 120, tokensPerMinute: 100_000 },
      redaction: { pii: ['email', 'phone'], patterns: [{ name: 'ticket', regex: 'TCK-\\d+' }] },
    },
  ],
};

/** A fresh copy of the sample IR, so tests can change it freely. */
export function sampleIR(): IR {
  return structuredClone(SAMPLE);
}

/** The native providers on top: Bedrock on a key pair and on a web identity, Gemini, each behind a route. */
export function sampleIRWithNatives(): IR {
  const ir = sampleIR();
  const env = (name: string) => ({ ref: `env:${name}`, source: 'env' as const, name });
  ir.providers.push(
    provider({
      name: 'bedrock',
      type: 'bedrock',
      baseUrl: 'https://bedrock-runtime.eu-west-1.amazonaws.com',
      credential: null,
      aws: {
        region: 'eu-west-1',
        accessKeyId: env('AWS_ACCESS_KEY_ID'),
        secretAccessKey: { ref: 'k8s:aws-bedrock/secret-access-key', source: 'k8s', name: 'aws-bedrock', key: 'secret-access-key' },
      },
      models: [model('anthropic.claude-3-5-haiku-20241022-v1:0')],
    }),
    provider({
      name: 'bedrock-irsa',
      type: 'bedrock',
      baseUrl: 'https://bedrock-runtime.us-east-1.amazonaws.com',
      credential: null,
      aws: {
        region: 'us-east-1',
        webIdentityTokenFile: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token',
        roleArn: 'arn:aws:iam::123456789012:role/modelgate-bedrock',
        stsEndpoint: 'https://sts.us-east-1.amazonaws.com',
      },
      models: [model('amazon.nova-lite-v1:0')],
    }),
    provider({
      name: 'gemini',
      type: 'gemini',
      baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
      credential: env('GEMINI_API_KEY'),
      models: [model('gemini-2.5-flash')],
    }),
  );
  ir.routes.push(
    route({
      name: 'claude-bedrock',
      targets: [{ provider: 'bedrock', model: 'anthropic.claude-3-5-haiku-20241022-v1:0', weight: 100 }],
      fallbacks: [{ provider: 'bedrock-irsa', model: 'amazon.nova-lite-v1:0' }],
    }),
    route({ name: 'gemini-flash', targets: [{ provider: 'gemini', model: 'gemini-2.5-flash', weight: 100 }] }),
  );
  ir.routes.sort((a, b) => (a.name < b.name ? -1 : 1));
  ir.providers.sort((a, b) => (a.name < b.name ? -1 : 1));
  ir.accessPolicies.find((p) => p.name === 'support')!.routes.push('claude-bedrock', 'gemini-flash');
  return ir;
}
