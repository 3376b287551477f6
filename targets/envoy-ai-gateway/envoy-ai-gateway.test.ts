import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { IR, IRRoute } from '../../compiler/ir/types.ts';
import { acmeIR } from '../../test/support/acme.ts';
import { loadCrds } from '../../test/support/crd-schemas.ts';
import { sampleIR, sampleIRWithNatives, withRouteStrategies } from '../../test/support/ir-fixture.ts';
import { envoyAIGatewayTarget } from './index.ts';

type Json = Record<string, any>;

const CRD_DIR = fileURLToPath(new URL('../../../shared/schemas/envoy-ai-gateway-v1.1/', import.meta.url));
const crds = loadCrds(CRD_DIR);
const AIGW_KINDS = new Set(['AIGatewayRoute', 'AIServiceBackend', 'BackendSecurityPolicy', 'QuotaPolicy']);

const build = (ir: IR) => envoyAIGatewayTarget.build(ir) as Awaited<ReturnType<typeof envoyAIGatewayTarget.build>>;
const docs = (files: Record<string, string>): Json[] =>
  Object.entries(files)
    .filter(([f]) => f !== 'kustomization.yaml')
    .flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS()));
const ofKind = (files: Record<string, string>, kind: string): Json[] => docs(files).filter((d) => d.kind === kind);

/** n chat routes on openai, named r00, r01, ... */
function manyRoutes(n: number, retry?: Partial<IRRoute['retry']>): IR {
  const ir = sampleIR();
  const template = ir.routes.find((r) => r.name === 'chat-eu')!;
  ir.routes = Array.from({ length: n }, (_, i) => ({
    ...structuredClone(template),
    name: `r${String(i).padStart(2, '0')}`,
    retry: { ...template.retry, ...(i % 2 && retry ? retry : {}) },
  }));
  ir.prompts = [];
  return ir;
}

describe.skipIf(!crds)(`envoy-ai-gateway target: checked against the v1.1 CRDs${crds ? '' : ` (skipped: ${CRD_DIR} is absent)`}`, () => {
  const check = (ir: IR) =>
    docs(build(ir).files)
      .filter((d) => AIGW_KINDS.has(d.kind))
      .flatMap((d) => crds!.problems(d as never));

  it.each([
    ['sample', () => sampleIR()],
    ['sample with Bedrock and Gemini', () => sampleIRWithNatives()],
    ['acme prod', () => acmeIR('prod')],
    ['40 routes, two retry policies', () => manyRoutes(40, { attempts: 3 })],
    ['sample, each strategy', () => withRouteStrategies(sampleIR())],
  ])('%s: every AI Gateway resource matches its openAPIV3Schema and CEL rules', (_name, ir) => {
    expect(check(ir())).toEqual([]);
  });

  it('the checker refuses what the CRDs refuse', () => {
    const files = build(sampleIR()).files;
    const route = ofKind(files, 'AIGatewayRoute')[0]!;
    route.spec.rules = Array.from({ length: 16 }, () => structuredClone(route.spec.rules[0]));
    route.spec.rules.forEach((r: Json, i: number) => (r.name = `r${i}`));
    expect(crds!.problems(route as never).join('\n')).toMatch(/rules: must NOT have more than 15 items/);
    const backend = ofKind(files, 'AIServiceBackend')[0]!;
    backend.spec.backendRef.kind = 'Service';
    backend.spec.schema.flavour = 'x';
    const problems = crds!.problems(backend as never).join('\n');
    expect(problems).toMatch(/must NOT have additional properties \(flavour\)/);
    delete backend.spec.schema.flavour;
    expect(crds!.problems(backend as never).join('\n')).toMatch(/BackendRef must be a Backend resource of Envoy Gateway/);
    const quota = ofKind(files, 'QuotaPolicy')[0]!;
    quota.spec.perModelQuotas[0].quota.defaultBucket.duration = '1w';
    expect(crds!.problems(quota as never).join('\n')).toMatch(/duration: must be equal to one of the allowed values/);
    quota.spec.perModelQuotas[0].quota.defaultBucket.duration = '1m';
    quota.spec.targetRefs[0].kind = 'HTTPRoute';
    expect(crds!.problems(quota as never).join('\n')).toMatch(/targetRefs must reference AIServiceBackend resources/);
  });
});

describe('envoy-ai-gateway target', () => {
  const files = build(sampleIR()).files;

  it('routes each public model on x-ai-eg-model with weights, and fallbacks as lower priorities', () => {
    const rules = ofKind(files, 'AIGatewayRoute').flatMap((r) => r.spec.rules);
    const cheap = rules.find((r) => r.name === 'chat-cheap');
    expect(cheap.matches).toEqual([{ headers: [{ type: 'Exact', name: 'x-ai-eg-model', value: 'chat-cheap' }] }]);
    expect(cheap.backendRefs).toEqual([
      { name: 'openai', weight: 70, priority: 0, modelNameOverride: 'gpt-4o-mini' },
      { name: 'azure-openai', weight: 30, priority: 0, modelNameOverride: 'gpt-4o-mini-weu' },
      { name: 'vllm', weight: 1, priority: 1, modelNameOverride: 'meta-llama/Llama-3.1-8B-Instruct' },
    ]);
    expect(cheap.timeouts).toEqual({ request: '30s', backendRequest: '30s' });
  });

  it('gives each provider a schema, a Backend, TLS for https and an API-key policy from a Secret', () => {
    const backends = Object.fromEntries(ofKind(files, 'AIServiceBackend').map((b) => [b.metadata.name, b.spec]));
    expect(backends['azure-openai'].schema).toEqual({ name: 'AzureOpenAI', version: '2024-10-21' });
    expect(backends.anthropic.schema).toEqual({ name: 'Anthropic', prefix: '/v1' });
    expect(backends.openai.headerMutation).toEqual({ set: [{ name: 'OpenAI-Organization', value: 'org-acme' }] });
    expect(ofKind(files, 'Backend').find((b) => b.metadata.name === 'vllm')!.spec.endpoints).toEqual([
      { fqdn: { hostname: 'vllm.ml.svc', port: 8000 } },
    ]);
    expect(
      ofKind(files, 'BackendTLSPolicy')
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual(['anthropic-tls', 'azure-openai-tls', 'mistral-tls', 'openai-tls']);
    const policies = Object.fromEntries(ofKind(files, 'BackendSecurityPolicy').map((p) => [p.metadata.name, p.spec]));
    expect(policies['anthropic-apikey']).toMatchObject({
      type: 'AnthropicAPIKey',
      anthropicAPIKey: { secretRef: { name: 'anthropic-apikey' } },
    });
    expect(policies['azure-openai-apikey']).toMatchObject({ type: 'AzureAPIKey' });
    expect(policies['vllm-apikey']).toBeUndefined();
  });

  it('maps Bedrock to AWSBedrock with AWS credentials, and Gemini to its OpenAI-compatible endpoint, saying what it approximates', () => {
    const out = build(sampleIRWithNatives());
    const backends = Object.fromEntries(ofKind(out.files, 'AIServiceBackend').map((b) => [b.metadata.name, b.spec]));
    expect(backends.bedrock.schema).toEqual({ name: 'AWSBedrock' });
    expect(backends.gemini.schema).toEqual({ name: 'OpenAI', prefix: '/v1beta/openai' });
    expect(ofKind(out.files, 'Backend').find((b) => b.metadata.name === 'bedrock')!.spec.endpoints).toEqual([
      { fqdn: { hostname: 'bedrock-runtime.eu-west-1.amazonaws.com', port: 443 } },
    ]);
    const policies = Object.fromEntries(ofKind(out.files, 'BackendSecurityPolicy').map((p) => [p.metadata.name, p.spec]));
    expect(policies['bedrock-aws']).toMatchObject({
      type: 'AWSCredentials',
      awsCredentials: { region: 'eu-west-1', credentialsFile: { secretRef: { name: 'bedrock-aws-credentials' }, profile: 'default' } },
    });
    expect(policies['bedrock-irsa-aws']).toMatchObject({ type: 'AWSCredentials', awsCredentials: { region: 'us-east-1' } });
    expect(policies['gemini-apikey']).toMatchObject({ type: 'APIKey', apiKey: { secretRef: { name: 'gemini-apikey' } } });
    const rule = ofKind(out.files, 'AIGatewayRoute')
      .flatMap((r) => r.spec.rules)
      .find((r) => r.name === 'claude-bedrock');
    expect(rule.backendRefs).toEqual([
      { name: 'bedrock', weight: 100, priority: 0, modelNameOverride: 'anthropic.claude-3-5-haiku-20241022-v1:0' },
      { name: 'bedrock-irsa', weight: 1, priority: 1, modelNameOverride: 'amazon.nova-lite-v1:0' },
    ]);
    expect(
      out.findings
        .filter((f) => f.resource === 'Provider/bedrock-irsa' || f.resource === 'Provider/gemini')
        .map((f) => `${f.ruleId} ${f.resource} ${f.path.join('.')}`),
    ).toEqual([
      'target-approximated Provider/bedrock-irsa spec.aws.roleArn',
      'target-approximated Provider/gemini spec.type',
      'target-approximated Provider/bedrock-irsa spec.circuitBreaker',
      'target-approximated Provider/gemini spec.circuitBreaker',
    ]);
  });

  it('ranks the targets of priority and lowest-cost routes as priority levels, fails over by health check, and says lowest-latency is not expressed', () => {
    const ir = sampleIR();
    const cheap = ir.routes.find((r) => r.name === 'chat-cheap')!;
    const ranked = (strategy: IRRoute['strategy']) => {
      cheap.strategy = strategy;
      const out = build(ir);
      const route = ofKind(out.files, 'AIGatewayRoute').find((r) => r.spec.rules.some((x: Json) => x.name === 'chat-cheap'))!;
      const rule = route.spec.rules.find((r: Json) => r.name === 'chat-cheap');
      const policy = ofKind(out.files, 'BackendTrafficPolicy').find((p) => p.spec.targetRefs[0].name === route.metadata.name);
      return { refs: rule.backendRefs.map((b: Json) => `${b.name} ${b.weight} ${b.priority}`), policy, findings: out.findings };
    };
    // A failed attempt is retried at the same level: the next target is reached only once the health check ejects the first.
    const byHealthCheck = expect.objectContaining({
      ruleId: 'target-approximated',
      resource: 'Route/chat-cheap',
      path: ['spec', 'strategy'],
      message: expect.stringContaining('ejects'),
    });
    const priority = ranked('priority');
    expect(priority.refs).toEqual(['openai 1 0', 'azure-openai 1 1', 'vllm 1 2']);
    expect(priority.policy!.spec.healthCheck.passive).toMatchObject({ consecutive5XxErrors: 3 });
    expect(priority.findings).toContainEqual(byHealthCheck);
    // Azure's deployment made cheaper than OpenAI's model (0.1 + 0.6 against 0.15 + 0.6 USD per million tokens).
    ir.providers.find((p) => p.name === 'azure-openai')!.models.find((m) => m.name === 'gpt-4o-mini')!.inputPricePer1M = 0.1;
    const cheapest = ranked('lowest-cost');
    expect(cheapest.refs).toEqual(['azure-openai 1 0', 'openai 1 1', 'vllm 1 2']);
    expect(cheapest.findings).toContainEqual(byHealthCheck);
    const latency = ranked('lowest-latency');
    expect(latency.refs).toEqual(['openai 70 0', 'azure-openai 30 0', 'vllm 1 1']);
    expect(latency.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'target-unsupported', resource: 'Route/chat-cheap', path: ['spec', 'strategy'] }),
    );
  });

  it('says when a k8s Secret reference cannot be used as it is', () => {
    expect(build(sampleIR()).findings).toContainEqual(
      expect.objectContaining({ ruleId: 'target-approximated', resource: 'Provider/azure-openai', path: ['spec', 'credential'] }),
    );
  });

  it('splits more than 15 routes over several AIGatewayRoutes, one retry policy each', () => {
    const out = build(manyRoutes(40, { attempts: 3 }));
    const routes = ofKind(out.files, 'AIGatewayRoute');
    expect(routes.length).toBeGreaterThan(2);
    for (const r of routes) expect(r.spec.rules.length).toBeLessThanOrEqual(15);
    expect(routes.flatMap((r) => r.spec.rules.map((x: Json) => x.name)).sort()).toEqual(manyRoutes(40).routes.map((r) => r.name));
    const policies = ofKind(out.files, 'BackendTrafficPolicy');
    expect(policies.map((p) => p.spec.targetRefs[0].name)).toEqual(routes.map((r) => r.metadata.name));
    // Odd routes retry 3 times, even ones once: a chunk never mixes them.
    routes.forEach((r, i) => {
      const attempts = new Set(r.spec.rules.map((x: Json) => (Number(x.name.slice(1)) % 2 ? 3 : 1)));
      expect([...attempts]).toEqual([policies[i]!.spec.retry.numRetries]);
    });
  });

  it('keeps a one-route change local: other AIGatewayRoutes and their policies stay byte-identical', () => {
    const before = build(manyRoutes(200, { attempts: 3 }));
    const changed = manyRoutes(200, { attempts: 3 });
    changed.routes[100]!.retry = { ...changed.routes[100]!.retry, attempts: 3 };
    const after = build(changed);
    const byName = (files: Record<string, string>) =>
      new Map(
        docs(files)
          .filter((d) => d.kind === 'AIGatewayRoute' || d.kind === 'BackendTrafficPolicy')
          .map((d) => [`${d.kind}/${d.metadata.name}`, JSON.stringify(d)]),
      );
    const [a, b] = [byName(before.files), byName(after.files)];
    const differing = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
    expect(a.size).toBeGreaterThan(20);
    // Its old chunk and its new one, each an AIGatewayRoute and a policy, and a neighbour the 15-rule limit cut:
    // a handful out of dozens, where numbering chunks by position changed every later one.
    expect(differing.length).toBeLessThanOrEqual(0.15 * a.size);
    expect(differing.length).toBeGreaterThan(0);
  });

  it("is a build error, naming the route, when one rule would exceed the CRD's backendRefs limit", () => {
    const ir = sampleIR();
    const openai = ir.providers.find((p) => p.name === 'openai')!;
    const extra = Array.from({ length: 130 }, (_, i) => ({ ...openai.models[0]!, name: `m${i}` }));
    openai.models.push(...extra);
    ir.routes[0]!.targets = extra.map((m) => ({ provider: 'openai', model: m.name, weight: 1 }));
    expect(build(ir).findings).toContainEqual(
      expect.objectContaining({ severity: 'error', resource: `Route/${ir.routes[0]!.name}`, path: ['spec', 'targets'] }),
    );
  });

  it('says the OTLP trace export is set on Envoy AI Gateway itself', () => {
    const ir = sampleIR();
    ir.gateway.telemetry = { otlp: { endpoint: 'http://collector:4318/v1/traces', headers: {}, samplingRatio: 1, serviceName: 'gw' } };
    const findings = build(ir).findings.filter((f) => f.path.includes('telemetry'));
    expect(findings.map((f) => `${f.ruleId} ${f.resource}`)).toEqual(['target-unsupported Gateway/acme-gateway']);
    expect(findings[0]!.message).toContain('OTEL_EXPORTER_OTLP_');
  });

  it('warns on every feature it cannot express, naming resource and path', () => {
    const keys = build(sampleIR()).findings.map((f) => `${f.ruleId} ${f.resource} ${f.path.join('.')}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'target-unsupported Prompt/support-reply spec',
        'target-unsupported Route/embeddings spec.cache',
        'target-approximated AccessPolicy/search spec.limits.tokensPerMinute',
        'target-unsupported AccessPolicy/payments spec.limits.monthlyBudgetUsd',
        'target-approximated Route/chat-cheap spec.fallbacks',
      ]),
    );
  });

  it("caps each backend model at the sum of the granted consumers' token limits with a QuotaPolicy on its AIServiceBackend", () => {
    const out = build(sampleIR());
    const quotas = Object.fromEntries(ofKind(out.files, 'QuotaPolicy').map((q) => [q.metadata.name, q.spec]));
    // gpt-4o-mini serves chat-cheap (search: 200k, support: 100k); chat-eu's gpt-4o is granted by payments, which has no token limit.
    expect(quotas.openai).toEqual({
      targetRefs: [{ group: 'aigateway.envoyproxy.io', kind: 'AIServiceBackend', name: 'openai' }],
      perModelQuotas: [
        { modelName: 'gpt-4o-mini', quota: { defaultBucket: { duration: '1m', limit: 300000 } } },
        { modelName: 'text-embedding-3-small', quota: { defaultBucket: { duration: '1m', limit: 200000 } } },
      ],
    });
    // Keyed on the name the backend is sent: Azure's deployment.
    expect(quotas['azure-openai'].perModelQuotas.map((q: Json) => q.modelName)).toEqual(['gpt-4o-mini-weu']);
    expect(parseAllDocuments(out.files['kustomization.yaml']!)[0]!.toJS().resources).toContain('quotas.yaml');
    expect(out.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'target-approximated',
        resource: 'AccessPolicy/search',
        message: expect.stringMatching(/QuotaPolicy caps each backend model/),
      }),
    );
  });

  it('writes no quotas.yaml when no policy has a token limit', () => {
    const ir = sampleIR();
    for (const p of ir.accessPolicies) delete p.limits.tokensPerMinute;
    const out = build(ir);
    expect(out.files['quotas.yaml']).toBeUndefined();
    expect(out.files['kustomization.yaml']).not.toMatch(/quotas/);
  });

  it('says which backends of a route cannot answer the Messages and Responses APIs, and what v1.1 does not serve at all', () => {
    const ir = sampleIR();
    ir.gateway.stores.responses = { type: 'memory', maxEntries: 1000, ttlMs: 3_600_000 };
    const findings = build(ir).findings.filter((f) => /Messages|Responses/.test(f.message));
    expect(findings.map((f) => `${f.resource} ${f.path.join('.')}`)).toEqual([
      'Route/chat-cheap spec.targets',
      'Route/chat-default spec.targets',
      'Route/chat-eu spec.targets',
      'Route/chat-local spec.targets',
      'Gateway/acme-gateway spec.stores.responses',
    ]);
    expect(findings[1]!.message).toMatch(
      /on route chat-default, Messages requests \(\/v1\/messages\) fail at azure-openai, openai; Responses requests \(\/v1\/responses\) fail at anthropic, azure-openai$/,
    );
    expect(build(ir).findings).toContainEqual(
      expect.objectContaining({
        resource: 'Gateway/acme-gateway',
        path: ['spec'],
        message: expect.stringMatching(/count_tokens.*\/v1\/responses\/\{id\}.*404/),
      }),
    );
    // A route whose backends all speak Messages natively, and none the Responses API: only the latter is reported.
    ir.routes = ir.routes.filter((r) => r.name === 'chat-default');
    ir.routes[0]!.targets = ir.routes[0]!.targets.filter((t) => t.provider === 'anthropic');
    ir.routes[0]!.fallbacks = [];
    expect(build(ir).findings.find((f) => f.resource === 'Route/chat-default' && f.path.join('.') === 'spec.targets')!.message).toMatch(
      /chat-default, Responses requests \(\/v1\/responses\) fail at anthropic$/,
    );
  });

  it('says that requests naming an alias get 404', () => {
    const ir = sampleIR();
    ir.routes[0]!.aliases = { exact: [], patterns: ['gpt-4o-*'] };
    expect(build(ir).findings).toContainEqual(
      expect.objectContaining({ ruleId: 'target-unsupported', resource: `Route/${ir.routes[0]!.name}`, path: ['spec', 'aliases'] }),
    );
  });

  it('refers only to resources it emits (Envoy Gateway and Gateway API kinds have no CRD to check against here)', () => {
    const all = docs(build(acmeIR('prod')).files);
    const names = (kind: string) => new Set(all.filter((d) => d.kind === kind).map((d) => d.metadata.name));
    const refs: [string, string, Set<string>][] = [
      ...all
        .filter((d) => d.kind === 'AIGatewayRoute')
        .flatMap((d) => [
          ...d.spec.parentRefs.map((p: Json) => [d.metadata.name, p.name, names('Gateway')]),
          ...d.spec.rules.flatMap((r: Json) => r.backendRefs.map((b: Json) => [r.name, b.name, names('AIServiceBackend')])),
        ]),
      ...all.filter((d) => d.kind === 'AIServiceBackend').map((d) => [d.metadata.name, d.spec.backendRef.name, names('Backend')]),
      ...all
        .filter((d) => d.kind === 'BackendSecurityPolicy' || d.kind === 'QuotaPolicy')
        .map((d) => [d.metadata.name, d.spec.targetRefs[0].name, names('AIServiceBackend')]),
      ...all.filter((d) => d.kind === 'BackendTLSPolicy').map((d) => [d.metadata.name, d.spec.targetRefs[0].name, names('Backend')]),
      ...all
        .filter((d) => d.kind === 'BackendTrafficPolicy')
        .map((d) => [d.metadata.name, d.spec.targetRefs[0].name, names('AIGatewayRoute')]),
      ...all.filter((d) => d.kind === 'Gateway').map((d) => [d.metadata.name, d.spec.gatewayClassName, names('GatewayClass')]),
    ] as [string, string, Set<string>][];
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter(([, to, known]) => !known.has(to)).map(([from, to]) => `${from} -> ${to}`)).toEqual([]);
  });

  it('builds byte-identical files twice', () => {
    expect(build(sampleIR()).files).toEqual(build(sampleIR()).files);
  });
});
