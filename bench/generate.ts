// Writes a synthetic but realistic config repo of N resources, deterministic from a seed.
// Every document is valid by schema/*.schema.json and every reference resolves, so the compiler
// benchmark measures the whole pipeline on a clean repo rather than its error paths.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { API_VERSION, type Kind } from '../schema/kinds.ts';
import type * as T from '../schema/types.ts';
import type { KindMap } from '../kernel/resource.ts';
import { commandLine } from './lib/args.ts';
import { isMain } from './lib/cli.ts';

export type Layout = 'single' | 'multi';

export interface GenerateOptions {
  /** Total number of resource documents, environments and the gateway included. */
  resources: number;
  seed: number;
  /** `single`: one document per file; `multi`: up to `docsPerFile` documents per file. */
  layout: Layout;
  docsPerFile?: number;
}

export interface GeneratedFile {
  path: string;
  text: string;
}

type Doc = KindMap[Kind];

const TEAMS = [
  'payments',
  'search',
  'support',
  'growth',
  'risk',
  'checkout',
  'catalog',
  'ads',
  'identity',
  'data',
  'mobile',
  'platform',
  'legal',
  'finance',
  'hr',
  'ops',
  'security',
  'sales',
  'marketing',
  'research',
  'infra',
  'billing',
  'docs',
  'trust',
];
const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
const JWT_ISSUER = 'https://auth.example.com';
const GATEWAY_REQUEST_TIMEOUT_S = 120;

interface ModelSpec {
  name: string;
  type: 'chat' | 'embeddings';
  input: number;
  output: number;
  context: number;
}

const PROVIDER_TYPES: { type: T.ProviderSpec['type']; prefix: string; baseUrl: (i: number) => string; models: ModelSpec[] }[] = [
  {
    type: 'openai',
    prefix: 'openai',
    baseUrl: () => 'https://api.openai.com/v1',
    models: [
      { name: 'gpt-4o', type: 'chat', input: 2.5, output: 10, context: 128000 },
      { name: 'gpt-4o-mini', type: 'chat', input: 0.15, output: 0.6, context: 128000 },
      { name: 'o3-mini', type: 'chat', input: 1.1, output: 4.4, context: 200000 },
      { name: 'text-embedding-3-small', type: 'embeddings', input: 0.02, output: 0, context: 8191 },
    ],
  },
  {
    type: 'anthropic',
    prefix: 'anthropic',
    baseUrl: () => 'https://api.anthropic.com',
    models: [
      { name: 'claude-sonnet-4', type: 'chat', input: 3, output: 15, context: 200000 },
      { name: 'claude-3-5-haiku', type: 'chat', input: 0.8, output: 4, context: 200000 },
    ],
  },
  {
    type: 'azure-openai',
    prefix: 'azure',
    baseUrl: (i) => `https://acme-${i}.openai.azure.com`,
    models: [
      { name: 'gpt-4o', type: 'chat', input: 2.5, output: 10, context: 128000 },
      { name: 'gpt-4o-mini', type: 'chat', input: 0.15, output: 0.6, context: 128000 },
    ],
  },
  {
    type: 'openai-compatible',
    prefix: 'vllm',
    baseUrl: (i) => `https://vllm-${i}.internal.example.com/v1`,
    models: [
      { name: 'llama-3.1-70b-instruct', type: 'chat', input: 0.5, output: 0.5, context: 131072 },
      { name: 'bge-m3', type: 'embeddings', input: 0.01, output: 0, context: 8192 },
    ],
  },
];

/** mulberry32: a small, fast, well-distributed PRNG; enough for synthetic data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<V>(items: readonly V[]): V {
    return items[Math.floor(this.next() * items.length)];
  }
  /** `count` distinct items, in their original order. */
  sample<V>(items: readonly V[], count: number): V[] {
    const chosen = new Set<number>();
    const n = Math.min(count, items.length);
    while (chosen.size < n) chosen.add(Math.floor(this.next() * items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i]);
  }
}

/**
 * How many resources of each kind a repo of `total` resources holds; the shares follow a mid-size org (no MCP
 * servers yet), with one shared personal-data guardrail for the policies that do not redact.
 */
export function kindCounts(total: number): Record<Exclude<Kind, 'PolicyException' | 'McpServer'>, number> {
  if (!Number.isInteger(total) || total < 40) throw new RangeError(`resources must be an integer >= 40, got ${total}`);
  const fixed = { Gateway: 1, Guardrail: 1, Environment: ENVIRONMENTS.length };
  const Policy = Math.max(6, Math.round(total * 0.002));
  const Provider = Math.max(4, Math.round(total * 0.02));
  const rest = total - fixed.Gateway - fixed.Guardrail - fixed.Environment - Policy - Provider;
  const Route = Math.round(rest * 0.25);
  const Prompt = Math.round(rest * 0.2);
  const Consumer = Math.round(rest * 0.3);
  const AccessPolicy = rest - Route - Prompt - Consumer;
  return { ...fixed, Policy, Provider, Route, Prompt, Consumer, AccessPolicy };
}

function pad(i: number, width: number): string {
  return String(i).padStart(width, '0');
}

function labels(team: string, r: Random): T.Labels {
  return { owner: `${team}-lead${r.int(1, 3)}`, team, tier: r.pick(['critical', 'standard', 'experimental']) };
}

function meta(name: string, team: string, r: Random, description?: string): T.Metadata {
  return description ? { name, labels: labels(team, r), description } : { name, labels: labels(team, r) };
}

/** The schema's `minItems: 1` arrays are typed as non-empty tuples. */
function nonEmpty<V>(items: V[]): [V, ...V[]] {
  if (items.length === 0) throw new Error('bench: generated an empty list where the schema needs one item');
  return items as [V, ...V[]];
}

/**
 * schema/types.ts types a condition's untyped `value` as an object (a json-schema-to-typescript quirk);
 * the schema accepts any JSON value.
 */
function conditionValue(value: string | number): T.PolicyCondition['value'] {
  return value as unknown as T.PolicyCondition['value'];
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

interface ProviderModelRef {
  provider: string;
  model: string;
  type: 'chat' | 'embeddings';
}

interface RoutePlan {
  name: string;
  team: string;
  type: 'chat' | 'embeddings';
  targets: ProviderModelRef[];
}

interface Placed {
  doc: Doc;
  /** Decides the folder the document is written to. */
  team: string;
}

/** The documents of the repo, in a stable order; pure. */
export function generateDocuments(options: GenerateOptions): Doc[] {
  return build(options).map((d) => d.doc);
}

function build(options: GenerateOptions): Placed[] {
  const counts = kindCounts(options.resources);
  const r = new Random(options.seed);
  const docs: Placed[] = [];
  const width = String(options.resources).length;
  const push = (doc: Doc, team: string): void => {
    docs.push({ doc, team });
  };

  push(gateway(), 'platform');
  push(piiGuardrail(), 'platform');
  // Enough access policies to give every team one that covers its consumers by label.
  const teams = TEAMS.slice(0, Math.min(TEAMS.length, Math.max(1, Math.floor(counts.AccessPolicy / 2))));

  const chatModels: ProviderModelRef[] = [];
  const embeddingModels: ProviderModelRef[] = [];
  const providerTimeoutS = new Map<string, number>();
  for (let i = 0; i < counts.Provider; i++) {
    const kind = PROVIDER_TYPES[i % PROVIDER_TYPES.length];
    const name = `${kind.prefix}-${pad(i, width)}`;
    const models = r.sample(kind.models, r.int(Math.min(2, kind.models.length), kind.models.length));
    for (const m of models) (m.type === 'chat' ? chatModels : embeddingModels).push({ provider: name, model: m.name, type: m.type });
    const timeoutS = r.pick([30, 60, 90]);
    providerTimeoutS.set(name, timeoutS);
    push(provider(name, kind, models, timeoutS, i, r), 'platform');
  }

  const routes: RoutePlan[] = [];
  for (let i = 0; i < counts.Route; i++) {
    const team = r.pick(teams);
    const type = providerCount(embeddingModels) > 1 && r.chance(0.1) ? 'embeddings' : 'chat';
    const name = `${type === 'chat' ? 'chat' : 'embed'}-${team}-${pad(i, width)}`;
    const pool = type === 'chat' ? chatModels : embeddingModels;
    // Keep one provider out of the targets so that every route has a fallback on another provider.
    const spare = r.pick(pool).provider;
    const targets = r.sample(
      pool.filter((m) => m.provider !== spare),
      r.int(1, 3),
    );
    // At least the slowest target's attempt timeout, at most the gateway's request timeout.
    const slowest = Math.max(...targets.map((t) => providerTimeoutS.get(t.provider)!));
    const timeoutS = Math.min(GATEWAY_REQUEST_TIMEOUT_S, slowest + r.pick([0, 30]));
    routes.push({ name, team, type, targets });
    push(route(name, team, type, targets, pool, timeoutS, r), team);
  }
  const chatRoutes = routes.filter((x) => x.type === 'chat');

  const prompts: string[] = [];
  for (let i = 0; i < counts.Prompt; i++) {
    const team = r.pick(teams);
    const name = `prompt-${team}-${pad(i, width)}`;
    prompts.push(name);
    push(prompt(name, team, r.pick(chatRoutes).name, r), team);
  }

  const consumersByTeam = new Map<string, string[]>();
  for (let i = 0; i < counts.Consumer; i++) {
    const team = r.pick(teams);
    const name = `svc-${team}-${pad(i, width)}`;
    appendTo(consumersByTeam, team, name);
    push(consumer(name, team, options.seed, r), team);
  }

  // Every route and prompt is granted by some policy (round robin), plus a few random extra grants.
  const routeGrants = roundRobin(routes, counts.AccessPolicy);
  const promptGrants = roundRobin(prompts, counts.AccessPolicy);
  for (let i = 0; i < counts.AccessPolicy; i++) {
    const team = i < teams.length ? teams[i] : r.pick(teams);
    const teamConsumers = consumersByTeam.get(team) ?? [];
    const subjects: T.Subjects =
      i < teams.length || teamConsumers.length === 0 || r.chance(0.4)
        ? { labels: { team } }
        : { consumers: r.sample(teamConsumers, r.int(1, 3)) };
    const granted = unique([...routeGrants[i], ...r.sample(routes, r.int(0, 2))]);
    const grantedPrompts = unique([...promptGrants[i], ...r.sample(prompts, r.int(0, 1))]);
    push(accessPolicy(`access-${team}-${pad(i, width)}`, team, subjects, granted, grantedPrompts, r), team);
  }

  for (let i = 0; i < counts.Policy; i++) push(policy(i, r), 'platform');

  const patched = r.sample(routes, Math.max(1, Math.round(routes.length * 0.01)));
  for (const env of ENVIRONMENTS)
    push(
      environment(
        env,
        patched.map((x) => x.name),
        r,
      ),
      'platform',
    );

  return docs;
}

/** Deals `items` out to `n` lists in turn. */
function roundRobin<V>(items: readonly V[], n: number): V[][] {
  const lists = Array.from({ length: n }, (): V[] => []);
  items.forEach((item, i) => lists[i % n].push(item));
  return lists;
}

function unique<V>(items: V[]): V[] {
  return [...new Set(items)];
}

function appendTo<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function providerCount(models: ProviderModelRef[]): number {
  return new Set(models.map((m) => m.provider)).size;
}

const PII_GUARDRAIL = 'customer-pii';

/** Masks personal data in prompts: what production asks of every policy (`prod-access-policy-has-pii-guardrail`). */
function piiGuardrail(): T.Guardrail {
  return {
    apiVersion: API_VERSION,
    kind: 'Guardrail',
    metadata: { name: PII_GUARDRAIL, labels: { team: 'platform', owner: 'platform-lead' } },
    spec: { action: 'mask', check: { pii: { detectors: ['email', 'card'] } } },
  };
}

function gateway(): T.Gateway {
  return {
    apiVersion: API_VERSION,
    kind: 'Gateway',
    metadata: { name: 'main', labels: { owner: 'platform-lead1', team: 'platform' }, description: 'The company AI gateway.' },
    spec: {
      listen: { host: '0.0.0.0', port: 8080 },
      limits: { maxBodyBytes: 2097152, requestTimeout: `${GATEWAY_REQUEST_TIMEOUT_S}s`, headersTimeout: '10s' },
      auth: { jwt: [{ issuer: JWT_ISSUER, audiences: ['modelgate'], algorithms: ['HS256'], secret: 'env:JWT_HMAC_SECRET' }] },
      stores: { limits: { type: 'memory', maxEntries: 100000 }, cache: { type: 'memory', maxEntries: 10000 } },
      logging: { level: 'info', usage: { enabled: true, path: 'stdout' } },
      metrics: { enabled: true, path: '/metrics' },
      kubernetes: {
        namespace: 'ai-gateway',
        replicas: 2,
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
        autoscaling: { enabled: true, maxReplicas: 8, targetCPUUtilization: 70 },
      },
    },
  };
}

function provider(
  name: string,
  kind: (typeof PROVIDER_TYPES)[number],
  models: ModelSpec[],
  timeoutS: number,
  i: number,
  r: Random,
): T.Provider {
  const envName = name.toUpperCase().replace(/-/g, '_');
  const spec: T.ProviderSpec = {
    type: kind.type,
    baseUrl: kind.baseUrl(i),
    credential: r.chance(0.8) ? `env:${envName}_API_KEY` : `k8s:${name}-credentials/api-key`,
    timeout: `${timeoutS}s`,
    retries: r.int(0, 2),
    models: nonEmpty(
      models.map((m) => ({
        name: m.name,
        ...(kind.type === 'azure-openai' ? { deployment: `${m.name}-${r.int(1, 3)}` } : {}),
        ...(m.type === 'embeddings' ? { type: 'embeddings' as const } : { version: r.pick(['2024-08-06', '2024-11-20', '2025-01-31']) }),
        inputPricePer1M: m.input,
        outputPricePer1M: m.output,
        contextWindow: m.context,
      })),
    ),
  };
  if (kind.type === 'azure-openai') spec.apiVersion = '2024-10-21';
  if (kind.type === 'anthropic') spec.apiVersion = '2023-06-01';
  if (r.chance(0.3)) spec.headers = { 'x-org-id': `org-${r.int(1000, 9999)}` };
  return { apiVersion: API_VERSION, kind: 'Provider', metadata: meta(name, 'platform', r, `${kind.type} upstream ${i}`), spec };
}

const PERCENT_CUTS = Array.from({ length: 99 }, (_, i) => i + 1);

/** `n` positive integer weights that sum to 100. */
function weights(n: number, r: Random): number[] {
  const bounds = [0, ...r.sample(PERCENT_CUTS, n - 1), 100];
  return bounds.slice(1).map((b, i) => b - bounds[i]);
}

function route(
  name: string,
  team: string,
  type: 'chat' | 'embeddings',
  targets: ProviderModelRef[],
  pool: ProviderModelRef[],
  timeoutS: number,
  r: Random,
): T.Route {
  const used = new Set(targets.map((t) => t.provider));
  const others = pool.filter((m) => !used.has(m.provider));
  const fallbacks = r.sample(others, r.int(1, 2)).map(({ provider, model }) => ({ provider, model }));
  const w = weights(targets.length, r);
  const spec: T.RouteSpec = {
    type,
    targets: nonEmpty(targets.map((t, i) => ({ provider: t.provider, model: t.model, weight: w[i] }))),
    fallbacks,
    retry: { attempts: r.int(0, 2), backoff: `${r.pick([100, 200, 500])}ms`, on: [429, 500, 502, 503, 504, 'timeout'] },
    timeout: `${timeoutS}s`,
  };
  if (type === 'chat') {
    spec.maxTokens = r.pick([1024, 2048, 4096, 8192]);
    if (r.chance(0.3)) spec.cache = { enabled: true, ttl: `${r.pick([1, 5, 15])}m` };
  }
  return { apiVersion: API_VERSION, kind: 'Route', metadata: meta(name, team, r), spec };
}

/** A JSON Schema for a prompt's variables (schema/types.ts types `variables` as only `{ type: 'object' }`). */
const TICKET_VARIABLES = {
  type: 'object',
  required: ['customer', 'ticket', 'language'],
  additionalProperties: false,
  properties: {
    customer: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', maxLength: 200 }, plan: { enum: ['free', 'pro', 'enterprise'] } },
    },
    ticket: { type: 'string', minLength: 1, maxLength: 8000 },
    language: { enum: ['en', 'de', 'fr', 'es'] },
  },
} as const satisfies T.PromptSpec['variables'] & Record<string, unknown>;

function prompt(name: string, team: string, routeName: string, r: Random): T.Prompt {
  const version = (tone: string): T.PromptVersion => ({
    messages: [
      { role: 'system', content: `You are a ${tone} assistant for the ${team} team. Answer in {{language}}.` },
      { role: 'user', content: 'Customer {{customer.name}} ({{customer.plan}} plan) writes:\n{{ticket}}\nSummarise and propose a reply.' },
    ],
    temperature: r.pick([0, 0.2, 0.7]),
    maxTokens: r.pick([256, 512, 1024]),
  });
  const split = r.chance(0.4);
  return {
    apiVersion: API_VERSION,
    kind: 'Prompt',
    metadata: meta(name, team, r, `Ticket summary for ${team}`),
    spec: {
      route: routeName,
      variables: TICKET_VARIABLES,
      versions: { v1: version('concise'), v2: version('friendly') },
      serve: split
        ? [
            { version: 'v1', weight: 90 },
            { version: 'v2', weight: 10 },
          ]
        : [{ version: 'v2', weight: 100 }],
    },
  };
}

function consumer(name: string, team: string, seed: number, r: Random): T.Consumer {
  const spec: T.ConsumerSpec = {
    apiKeys: Array.from({ length: r.int(1, 2) }, (_, k) => ({
      id: `${name}-key-${k + 1}`,
      sha256: sha256(`bench-${seed}-${name}-${k}`),
      expires: '2030-12-31',
    })),
  };
  if (r.chance(0.1)) spec.jwt = { issuer: JWT_ISSUER, claims: { sub: name } };
  return { apiVersion: API_VERSION, kind: 'Consumer', metadata: meta(name, team, r), spec };
}

function accessPolicy(
  name: string,
  team: string,
  subjects: T.Subjects,
  granted: RoutePlan[],
  prompts: string[],
  r: Random,
): T.AccessPolicy {
  const spec: T.AccessPolicySpec = {
    subjects,
    routes: granted.map((g) => g.name),
    prompts,
    limits: {
      requestsPerMinute: r.pick([60, 600, 6000]),
      tokensPerMinute: r.pick([100000, 1000000]),
      monthlyBudgetUsd: r.pick([50, 500, 5000]),
    },
  };
  if (r.chance(0.3)) spec.redaction = { pii: ['email', 'card'], patterns: [{ name: 'employee-id', regex: 'EMP-[0-9]{6}' }] };
  else spec.guardrails = [PII_GUARDRAIL];
  if (r.chance(0.1)) {
    const models = new Set(granted.flatMap((g) => g.targets.map((t) => `${t.provider}/${t.model}`)));
    spec.allowedModels = [...models].sort();
  }
  return { apiVersion: API_VERSION, kind: 'AccessPolicy', metadata: meta(name, team, r), spec };
}

/** Organisation rules that the generated resources all satisfy; copies past the first six are team-scoped. */
const POLICY_TEMPLATES: { name: string; spec: T.PolicySpec }[] = [
  {
    name: 'require-owner-and-team',
    spec: {
      match: { kinds: ['Provider', 'Route', 'Prompt', 'Consumer', 'AccessPolicy'] },
      assert: {
        schema: {
          type: 'object',
          required: ['metadata'],
          properties: {
            metadata: { type: 'object', required: ['labels'], properties: { labels: { type: 'object', required: ['owner', 'team'] } } },
          },
        },
      },
      message: '{{resource.kind}}/{{resource.metadata.name}} needs owner and team labels.',
    },
  },
  {
    name: 'prod-routes-have-fallbacks',
    spec: {
      match: { kinds: ['Route'], environments: ['prod'] },
      deny: { any: [{ path: 'spec.fallbacks', operator: 'NotExists' }] },
      message: 'Route {{resource.metadata.name}} has no fallback in {{environment}}.',
    },
  },
  {
    name: 'max-tokens-bounded',
    spec: {
      match: { kinds: ['Route'] },
      deny: { any: [{ path: 'spec.maxTokens', operator: 'GreaterThan', value: conditionValue(32000) }] },
      severity: 'warning',
      message: 'Route {{resource.metadata.name}} allows more than 32000 output tokens.',
    },
  },
  {
    name: 'providers-use-https',
    spec: {
      match: { kinds: ['Provider'] },
      deny: { any: [{ path: 'spec.baseUrl', operator: 'Matches', value: conditionValue('^http://') }] },
      message: 'Provider {{resource.metadata.name}} must use https.',
    },
  },
  {
    name: 'access-has-budget',
    spec: {
      match: { kinds: ['AccessPolicy'] },
      deny: { any: [{ path: 'spec.limits.monthlyBudgetUsd', operator: 'NotExists' }] },
      message: 'AccessPolicy {{resource.metadata.name}} needs a monthly budget.',
    },
  },
  {
    name: 'prompt-ab-split-small',
    spec: {
      match: { kinds: ['Prompt'] },
      deny: { any: [{ path: 'spec.serve', operator: 'LengthGreaterThan', value: conditionValue(3) }] },
      severity: 'info',
      message: 'Prompt {{resource.metadata.name}} serves more than three versions at once.',
    },
  },
];

function policy(i: number, r: Random): T.Policy {
  const template = POLICY_TEMPLATES[i % POLICY_TEMPLATES.length];
  if (i < POLICY_TEMPLATES.length) {
    return { apiVersion: API_VERSION, kind: 'Policy', metadata: meta(template.name, 'platform', r), spec: template.spec };
  }
  const team = TEAMS[i % TEAMS.length];
  return {
    apiVersion: API_VERSION,
    kind: 'Policy',
    metadata: meta(`${template.name}-${team}-${i}`, 'platform', r),
    spec: { ...template.spec, match: { ...template.spec.match, labels: { team } } },
  };
}

function environment(name: (typeof ENVIRONMENTS)[number], patchedRoutes: string[], r: Random): T.Environment {
  const tier = ({ dev: 'development', staging: 'staging', prod: 'production' } as const)[name];
  const prod = name === 'prod';
  // Production runs several replicas: rate limits and budgets must be counted in a shared store.
  const stores = prod
    ? { stores: { limits: { type: 'redis', url: 'env:REDIS_URL', keyPrefix: 'modelgate:prod:', onUnavailable: 'deny' } } }
    : {};
  const patches: T.EnvironmentPatch[] = [
    {
      target: { kind: 'Gateway', name: 'main' },
      patch: { spec: { logging: { level: prod ? 'warn' : 'debug' }, kubernetes: { replicas: prod ? 4 : 1 }, ...stores } },
    },
  ];
  if (prod) {
    for (const route of patchedRoutes)
      patches.push({ target: { kind: 'Route', name: route }, patch: { spec: { retry: { attempts: r.int(2, 3) } } } });
  }
  return {
    apiVersion: API_VERSION,
    kind: 'Environment',
    metadata: meta(name, 'platform', r),
    spec: { tier, variables: { REGION: name === 'prod' ? 'eu-west-1' : 'eu-central-1', REPLICAS: name === 'prod' ? 4 : 1 }, patches },
  };
}

/** Gateway and Environments sit at fixed paths; other kinds go in a folder per kind. */
const FOLDERS: Record<Exclude<Kind, 'Gateway' | 'Environment'>, string> = {
  Provider: 'providers',
  Route: 'routes',
  Prompt: 'prompts',
  Consumer: 'consumers',
  AccessPolicy: 'access',
  McpServer: 'mcp',
  Guardrail: 'guardrails',
  Policy: 'policies',
  PolicyException: 'policies',
};

function singlePath(doc: Doc, team: string): string {
  if (doc.kind === 'Gateway') return 'gateway.yaml';
  if (doc.kind === 'Environment') return `environments/${doc.metadata.name}.yaml`;
  return `${FOLDERS[doc.kind]}/${team}/${doc.metadata.name}.yaml`;
}

/** The repo's files, sorted by path. Single layout: `<folder>/<team>/<name>.yaml`; multi: `<folder>/<team>-<k>.yaml`. */
export function generateRepo(options: GenerateOptions): GeneratedFile[] {
  const perFile = options.layout === 'multi' ? (options.docsPerFile ?? 10) : 1;
  const docs = build(options);
  const files: GeneratedFile[] = [];
  const groups = new Map<string, Doc[]>();
  for (const { doc, team } of docs) {
    if (doc.kind === 'Gateway' || doc.kind === 'Environment' || options.layout === 'single') {
      files.push({ path: singlePath(doc, team), text: stringify(doc) });
      continue;
    }
    appendTo(groups, `${FOLDERS[doc.kind]}/${team}`, doc);
  }
  for (const [key, group] of groups) {
    for (let k = 0; k * perFile < group.length; k++) {
      const chunk = group.slice(k * perFile, (k + 1) * perFile);
      files.push({ path: `${key}-${pad(k, 3)}.yaml`, text: chunk.map((d) => stringify(d)).join('---\n') });
    }
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function writeRepo(dir: string, files: readonly GeneratedFile[]): void {
  for (const f of files) {
    const path = join(dir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.text);
  }
}

if (isMain(import.meta.url)) {
  const { values } = commandLine({
    script: 'bench/generate.ts',
    summary: 'Writes a synthetic, valid config repo of N resources, deterministic from a seed.',
    options: {
      resources: { type: 'number', integer: true, min: 1, short: 'n', default: 1000, description: 'resource documents to write' },
      seed: { type: 'number', integer: true, default: 1, description: 'the seed of the generator' },
      layout: { type: 'string', choices: ['single', 'multi'], default: 'single', description: 'one document per file, or several' },
      out: { type: 'string', short: 'o', value: 'DIR', required: true, description: 'the folder to write the repo to' },
    },
  });
  const files = generateRepo({ resources: values.resources, seed: values.seed, layout: values.layout as Layout });
  writeRepo(values.out, files);
  process.stdout.write(`wrote ${files.length} files (${values.resources} resources) to ${values.out}\n`);
}
