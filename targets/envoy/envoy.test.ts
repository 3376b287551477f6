import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IR, IRRoute } from '../../compiler/ir/types.ts';
import { acmeIR } from '../../test/support/acme.ts';
import { sampleIR, sampleIRWithNatives, withRouteStrategies } from '../../test/support/ir-fixture.ts';
import { EnvoyChecker } from './check.ts';
import { envoyConfig, envoyCredentials, envoyTarget } from './index.ts';

type Json = Record<string, any>;

let checker: EnvoyChecker;
beforeAll(() => {
  checker = new EnvoyChecker();
});

const build = (ir: IR) => envoyTarget.build(ir) as Awaited<ReturnType<typeof envoyTarget.build>>;
const bootstrapOf = (ir: IR): Json => parse(build(ir).files['envoy.yaml']!);
const hcmOf = (b: Json): Json => b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
const routesOf = (b: Json): Json[] => hcmOf(b).route_config.virtual_hosts[0].routes;

/** The first route Envoy would pick for a request without a model header, by path and method. */
function routeFor(routes: Json[], method: string, path: string): Json | undefined {
  return routes.find(({ match: m }) => {
    const pathOk =
      m.path !== undefined
        ? path === m.path
        : m.path_separated_prefix !== undefined
          ? path === m.path_separated_prefix || path.startsWith(`${m.path_separated_prefix}/`)
          : path.startsWith(m.prefix);
    return pathOk && (m.headers ?? []).every((h: Json) => h.name === ':method' && h.string_match.exact === method);
  });
}

/** Each path the Node gateway serves for agents, with its method. */
const AGENT_REQUESTS = [
  ['POST', '/v1/chat/completions'],
  ['POST', '/v1/embeddings'],
  ['POST', '/v1/messages'],
  ['POST', '/v1/messages/count_tokens'],
  ['POST', '/v1/responses'],
  ['GET', '/v1/responses/resp_1'],
  ['DELETE', '/v1/responses/resp_1'],
] as const;

function withMode(ir: IR, mode: 'direct' | 'front'): IR {
  ir.gateway.envoy.mode = mode;
  return ir;
}

/** Only JWT consumers whose issuer has a public key: Envoy can then verify every caller. */
function jwtOnly(ir: IR): IR {
  ir.consumers = ir.consumers.filter((c) => c.jwt);
  for (const p of ir.accessPolicies) p.subjects.consumers = p.subjects.consumers.filter((c) => ir.consumers.some((x) => x.name === c));
  return ir;
}

describe('envoy target: checked against Envoy v3 protos', () => {
  it.each([
    ['sample, direct', () => withMode(sampleIR(), 'direct')],
    ['sample with Bedrock and Gemini, direct', () => withMode(sampleIRWithNatives(), 'direct')],
    ['sample, front', () => withMode(sampleIR(), 'front')],
    ['sample, direct, JWT only', () => jwtOnly(withMode(sampleIR(), 'direct'))],
    ['sample, front, JWT only', () => jwtOnly(withMode(sampleIR(), 'front'))],
    ['acme prod (front)', () => acmeIR('prod')],
    ['acme dev, direct', () => withMode(acmeIR('dev'), 'direct')],
    ['sample with each route strategy, direct', () => withRouteStrategies(withMode(sampleIR(), 'direct'))],
  ])('%s decodes strictly as a Bootstrap and passes our own checks', (_name, ir) => {
    const out = build(ir());
    expect(checker.checkFiles(out.files)).toEqual([]);
  });

  it('names the same credential files without the config as with it (the k8s target mounts them)', () => {
    for (const ir of [withMode(sampleIRWithNatives(), 'direct'), withMode(sampleIR(), 'direct'), acmeIR('prod')]) {
      expect(envoyCredentials(ir)).toEqual(envoyConfig(ir).credentials);
    }
    expect(envoyCredentials(withMode(sampleIR(), 'direct')).map((c) => c.provider)).toContain('azure-openai');
  });

  it('builds byte-identical files twice', () => {
    for (const mode of ['direct', 'front'] as const) {
      expect(build(withMode(sampleIR(), mode)).files).toEqual(build(withMode(sampleIR(), mode)).files);
    }
  });
});

describe('the checker fails broken bootstraps', () => {
  const broken = (mutate: (b: Json) => void): string[] => {
    const b = bootstrapOf(withMode(sampleIR(), 'direct'));
    mutate(b);
    return checker.checkBootstrap(b);
  };

  it('rejects an unknown field deep inside a typed_config', () => {
    expect(broken((b) => (hcmOf(b).route_config.virtual_hosts[0].routes[1].route.timeout_ms = 5)).join('\n')).toMatch(
      /unknown field: "timeout_ms"/,
    );
  });
  it('rejects a v2 @type and a duration without unit', () => {
    const problems = broken((b) => {
      b.static_resources.listeners[0].filter_chains[0].filters[0].typed_config['@type'] =
        'type.googleapis.com/envoy.config.filter.network.http_connection_manager.v2.HttpConnectionManager';
    });
    expect(problems.join('\n')).toMatch(/no such type/);
    expect(broken((b) => (b.static_resources.clusters[0].connect_timeout = '5')).join('\n')).toMatch(/invalid duration/);
  });
  it('reports a route to an undefined cluster', () => {
    expect(broken((b) => (routesOf(b)[1].route.weighted_clusters.clusters[0].name = 'provider-nowhere'))).toContain(
      'route route-chat-cheap sends to cluster provider-nowhere, which is not defined',
    );
  });
  it('reports a router that is not last, and an empty stat_prefix', () => {
    const problems = broken((b) => {
      const hcm = hcmOf(b);
      hcm.http_filters.unshift(hcm.http_filters.pop());
      hcm.stat_prefix = '';
    });
    expect(problems.join('\n')).toMatch(/router must be the last HTTP filter/);
    expect(problems).toContain('an HTTP connection manager has an empty stat_prefix');
  });
  it('reports a local rate limit left at its 0 % defaults', () => {
    const problems = broken((b) => {
      const limited = routesOf(b).find((r) => r.typed_per_filter_config?.['envoy.filters.http.local_ratelimit'])!;
      delete limited.typed_per_filter_config['envoy.filters.http.local_ratelimit'].filter_enforced;
    });
    expect(problems.join('\n')).toMatch(/filter_enforced is not 100 %/);
  });
  it('reports outlier detection that ejects nothing, or whose ejection Envoy would ignore', () => {
    const problems = broken((b) => {
      const openai = b.static_resources.clusters.find((c: Json) => c.name === 'provider-openai');
      delete openai.common_lb_config;
      delete openai.outlier_detection.enforcing_failure_percentage;
      openai.outlier_detection.failure_percentage_minimum_hosts = 5;
    });
    expect(problems).toEqual([
      'cluster provider-openai: outlier detection without healthy_panic_threshold 0 (Envoy sends to ejected hosts once fewer than half are healthy)',
      'cluster provider-openai: enforcing_failure_percentage is not 100 (it defaults to 0, which ejects nothing)',
      'cluster provider-openai: failure_percentage_minimum_hosts is above its 1 host(s), so the failure percentage ejects nothing',
    ]);
  });
  it('reports a credential inlined instead of read from a file', () => {
    const out = build(withMode(sampleIR(), 'direct'));
    const sds = parse(out.files['sds/openai-credential.yaml']!);
    sds.resources[0].generic_secret.secret = { inline_string: 'Bearer sk-live' };
    expect(checker.checkFiles({ ...out.files, 'sds/openai-credential.yaml': JSON.stringify(sds) }).join('\n')).toMatch(
      /holds its value inline/,
    );
  });
});

describe('direct mode', () => {
  const ir = withMode(sampleIR(), 'direct');
  const out = build(ir);
  const b = parse(out.files['envoy.yaml']!) as Json;
  const routes = routesOf(b);
  const route = (name: string) => routes.find((r) => r.name === name)!;

  it('routes each public model by the x-ai-model header, with weights, retries and timeout from the route', () => {
    const cheap = route('route-chat-cheap');
    expect(cheap.match).toEqual({ path: '/v1/chat/completions', headers: [{ name: 'x-ai-model', string_match: { exact: 'chat-cheap' } }] });
    expect(cheap.route.weighted_clusters.clusters.map((c: Json) => [c.name, c.weight])).toEqual([
      ['provider-openai', 70],
      ['provider-azure-openai', 30],
    ]);
    expect(cheap.route.timeout).toBe('30s');
    expect(cheap.route.retry_policy).toMatchObject({
      num_retries: 2,
      retriable_status_codes: [429, 503],
      retry_on: 'reset,connect-failure,retriable-status-codes',
    });
    expect(route('route-embeddings').match.path).toBe('/v1/embeddings');
  });

  it('injects each provider credential from an SDS file, with the header the provider reads, and never inline', () => {
    const filters = hcmOf(b).http_filters as Json[];
    const azure = filters.find((f) => f.name === 'modelgate.credentials.azure-openai')!;
    expect(azure.disabled).toBe(true);
    expect(azure.typed_config.credential.typed_config).toMatchObject({
      header: 'api-key',
      credential: {
        name: 'azure-openai-credential',
        sds_config: { path_config_source: { path: '/etc/envoy/sds/azure-openai-credential.yaml' } },
      },
    });
    expect(parse(out.files['sds/azure-openai-credential.yaml']!).resources[0].generic_secret).toEqual({
      secret: { filename: '/etc/modelgate/secrets/azure-openai/credential' },
    });
    // vLLM has no credential: no filter, and every client auth header is stripped before it.
    expect(filters.some((f) => f.name === 'modelgate.credentials.vllm')).toBe(false);
    const vllm = route('route-chat-local').route.weighted_clusters.clusters.find((c: Json) => c.name === 'provider-vllm');
    expect(vllm.request_headers_to_remove).toEqual(['api-key', 'authorization', 'x-api-key']);
    expect(vllm.request_headers_to_add).toEqual([
      { header: { key: 'X-Acme-Cluster', value: 'prod-eu1' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
    ]);
  });

  it("limits a route at the sum of its grantees' limits, enabled and enforced at 100 %", () => {
    // chat-cheap is granted to search (600/min, 1 consumer) and support (120/min, 1 consumer).
    expect(route('route-chat-cheap').typed_per_filter_config['envoy.filters.http.local_ratelimit']).toMatchObject({
      token_bucket: { max_tokens: 720, tokens_per_fill: 720, fill_interval: '60s' },
      filter_enabled: { default_value: { numerator: 100, denominator: 'HUNDRED' } },
      filter_enforced: { default_value: { numerator: 100, denominator: 'HUNDRED' } },
    });
    // chat-local is granted to nobody with a limit: no bucket.
    expect(route('route-chat-local').typed_per_filter_config).toBeUndefined();
  });

  it('sends Anthropic routes and prompts to the Node gateways, and says so', () => {
    expect(route('route-chat-default').route).toEqual({ cluster: 'modelgate-gateway', timeout: '65s' });
    expect(route('prompt-support-reply').match).toEqual({ path: '/v1/prompts/support-reply' });
    expect(out.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'target-delegated', resource: 'Route/chat-default', path: ['spec', 'targets', 1] }),
    );
    expect(out.findings).toContainEqual(expect.objectContaining({ ruleId: 'target-delegated', resource: 'Prompt/support-reply' }));
    expect(route('openapi').match).toEqual({ path: '/openapi.json' });
  });

  it("sends a prompt's own endpoint to the Node gateways", () => {
    const ir = withMode(sampleIR(), 'direct');
    ir.prompts[0]!.expose = { method: 'POST', path: '/v1/apps/support-reply', request: { type: 'object' } };
    const routes = routesOf(parse(build(ir).files['envoy.yaml']!));
    const { match, route: to } = routes.find((r) => r.name === 'prompt-api-support-reply')!;
    expect([match, to.cluster]).toEqual([{ path: '/v1/apps/support-reply' }, 'modelgate-gateway']);
  });

  it("gives the Node gateways a few seconds more than their own timeout on what it sends them, so that their answer, in the API's shape, reaches the client", () => {
    const ir = withMode(sampleIR(), 'direct');
    ir.prompts[0]!.expose = { method: 'POST', path: '/v1/apps/support-reply', request: { type: 'object' } };
    const timeouts = Object.fromEntries(routesOf(parse(build(ir).files['envoy.yaml']!)).map((r) => [r.name, r.route?.timeout]));
    const seconds = (ms: number) => `${ms / 1000 + 5}s`;
    const gateway = ir.gateway.limits.requestTimeoutMs;
    expect(timeouts).toMatchObject({
      'route-chat-default': seconds(ir.routes.find((r) => r.name === 'chat-default')!.timeoutMs),
      'prompt-support-reply': seconds(gateway),
      'prompt-api-support-reply': seconds(gateway),
      openapi: seconds(gateway),
      messages: seconds(gateway),
      responses: seconds(gateway),
    });
  });

  it('sends Bedrock and Gemini routes to the Node gateways too, with no provider credential in Envoy', () => {
    const natives = build(withMode(sampleIRWithNatives(), 'direct'));
    const nativeRoutes = routesOf(parse(natives.files['envoy.yaml']!));
    for (const name of ['route-claude-bedrock', 'route-gemini-flash']) {
      expect(nativeRoutes.find((r) => r.name === name)!.route).toEqual({ cluster: 'modelgate-gateway', timeout: '65s' });
    }
    expect(
      natives.findings
        .filter((f) => f.ruleId === 'target-delegated' && f.resource.startsWith('Route/'))
        .map((f) => f.message.split(':')[0]),
    ).toEqual([
      'route chat-default has an Anthropic target, and Envoy cannot translate to the Messages API',
      'route claude-bedrock has a Bedrock target, and Envoy cannot translate to Converse or sign with SigV4',
      'route gemini-flash has a Gemini target, and Envoy cannot translate to the Gemini API',
    ]);
    const clusters = parse(natives.files['envoy.yaml']!).static_resources.clusters.map((c: Json) => c.name);
    expect(clusters.filter((c: string) => /bedrock|gemini/.test(c))).toEqual([]);
    expect(Object.keys(natives.files).filter((f) => /bedrock|gemini/.test(f))).toEqual([]);
  });

  it('sends the Messages and Responses APIs, count_tokens and stored responses included, to the Node gateways running next to it', () => {
    for (const [method, path] of AGENT_REQUESTS.filter(([, p]) => /messages|responses/.test(p))) {
      expect(routeFor(routes, method, path)?.route, `${method} ${path}`).toEqual({ cluster: 'modelgate-gateway', timeout: '125s' });
    }
    expect(out.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'target-delegated', resource: 'Gateway/acme-gateway', path: ['spec', 'envoy', 'mode'] }),
    );
  });

  it('says the Messages and Responses APIs get 404 when no Node gateway runs next to it', () => {
    const ir = withMode(sampleIR(), 'direct');
    ir.routes = ir.routes.filter((r) => r.targets.every((t) => ir.providers.find((p) => p.name === t.provider)!.type !== 'anthropic'));
    ir.prompts = [];
    const alone = build(ir);
    const bootstrap = parse(alone.files['envoy.yaml']!) as Json;
    expect(routeFor(routesOf(bootstrap), 'POST', '/v1/messages')!.name).toBe('not-found');
    expect(bootstrap.static_resources.clusters.map((c: Json) => c.name)).not.toContain('modelgate-gateway');
    expect(alone.findings.filter((f) => f.resource === 'Gateway/acme-gateway' && f.path.join('.') === 'spec.envoy.mode')).toEqual([
      expect.objectContaining({
        ruleId: 'target-unsupported',
        message: expect.stringMatching(/Messages API \(\/v1\/messages.*Responses API \(\/v1\/responses\).*404/),
      }),
    ]);
  });

  it('answers /v1/models itself and everything unknown with an OpenAI-style 404', () => {
    expect(JSON.parse(route('models').direct_response.body.inline_string).data.map((m: Json) => m.id)).toEqual([
      'chat-cheap',
      'chat-default',
      'chat-eu',
      'chat-local',
      'embeddings',
    ]);
    const last = routes.at(-1)!;
    expect(last.match).toEqual({ prefix: '/' });
    expect(last.direct_response.status).toBe(404);
    expect(JSON.parse(last.direct_response.body.inline_string).error.code).toBe('model_not_found');
  });

  it('warns on every feature Envoy cannot express, naming resource and path', () => {
    const keys = out.findings.map((f) => `${f.ruleId} ${f.resource} ${f.path.join('.')}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'target-approximated Route/chat-cheap spec.fallbacks',
        'target-unsupported Consumer/search spec.apiKeys',
        'target-unsupported AccessPolicy/payments spec.limits.monthlyBudgetUsd',
        'target-unsupported AccessPolicy/support spec.redaction',
        'target-unsupported Route/embeddings spec.cache',
      ]),
    );
    // chat-default goes to the Node gateways, which apply its fallbacks and maxTokens.
    expect(keys.filter((k) => k.includes('Route/chat-default ') && !k.startsWith('target-delegated'))).toEqual([]);
  });

  it('says that requests naming an alias get 404 in direct mode, delegated routes included, and not in front mode', () => {
    const aliased = (mode: 'direct' | 'front') => {
      const ir = withMode(sampleIR(), mode);
      for (const r of ir.routes)
        if (r.name === 'chat-cheap' || r.name === 'chat-default') r.aliases = { exact: [`${r.name}-v2`], patterns: [] };
      return build(ir)
        .findings.filter((f) => f.path.at(-1) === 'aliases')
        .map((f) => `${f.ruleId} ${f.resource}`);
    };
    expect(aliased('direct')).toEqual(['target-unsupported Route/chat-cheap', 'target-unsupported Route/chat-default']);
    expect(aliased('front')).toEqual([]);
  });

  it("expresses each provider's circuit breaker as its cluster's outlier detection, with a retry budget", () => {
    const openai = b.static_resources.clusters.find((c: Json) => c.name === 'provider-openai');
    const cb = ir.providers.find((p) => p.name === 'openai')!.circuitBreaker;
    expect(openai.outlier_detection).toEqual({
      consecutive_5xx: cb.consecutiveFailures,
      interval: `${cb.windowMs / 1000}s`,
      base_ejection_time: `${cb.openForMs / 1000}s`,
      max_ejection_time: `${cb.openForMs / 1000}s`,
      max_ejection_percent: 100,
      failure_percentage_threshold: cb.failureRatio * 100,
      enforcing_failure_percentage: 100,
      failure_percentage_minimum_hosts: 1,
      failure_percentage_request_volume: cb.minimumRequests,
      enforcing_success_rate: 0,
    });
    expect(openai.common_lb_config).toEqual({ healthy_panic_threshold: { value: 0 } });
    expect(openai.circuit_breakers.thresholds[0].retry_budget).toEqual({ budget_percent: { value: 20 }, min_retry_concurrency: 3 });
    // Approximated on the providers with a cluster; Anthropic's routes go to the Node gateways, which apply it.
    const approximated = out.findings.filter((f) => f.path.join('.') === 'spec.circuitBreaker').map((f) => f.resource);
    expect(approximated).toContain('Provider/openai');
    expect(approximated).not.toContain('Provider/anthropic');

    const off = withMode(sampleIR(), 'direct');
    off.providers.find((p) => p.name === 'openai')!.circuitBreaker.enabled = false;
    const plain = bootstrapOf(off).static_resources.clusters.find((c: Json) => c.name === 'provider-openai');
    expect(plain).not.toHaveProperty('outlier_detection');
    expect(plain).not.toHaveProperty('circuit_breakers');
  });

  it('sends a priority or lowest-cost route to its first or cheapest target only, and says so; lowest-latency keeps the weights', () => {
    const ranked = withMode(sampleIR(), 'direct');
    const cheap = ranked.routes.find((r) => r.name === 'chat-cheap')!;
    ranked.providers.find((p) => p.name === 'azure-openai')!.models.find((m) => m.name === 'gpt-4o-mini')!.inputPricePer1M = 0.1;
    const clustersOf = (strategy: IRRoute['strategy']) => {
      cheap.strategy = strategy;
      const built = build(ranked);
      const r = routesOf(parse(built.files['envoy.yaml']!)).find((x) => x.name === 'route-chat-cheap')!;
      const finding = built.findings.find((f) => f.resource === 'Route/chat-cheap' && f.path.join('.') === 'spec.strategy');
      return { clusters: r.route.weighted_clusters.clusters.map((c: Json) => `${c.name} ${c.weight}`), finding };
    };
    const priority = clustersOf('priority');
    expect(priority.clusters).toEqual(['provider-openai 100']);
    expect(priority.finding).toMatchObject({ ruleId: 'target-approximated', message: expect.stringContaining('first target') });
    const cost = clustersOf('lowest-cost');
    expect(cost.clusters).toEqual(['provider-azure-openai 100']);
    expect(cost.finding).toMatchObject({ ruleId: 'target-approximated', message: expect.stringContaining('cheapest target') });
    const latency = clustersOf('lowest-latency');
    expect(latency.clusters).toEqual(['provider-openai 70', 'provider-azure-openai 30']);
    expect(latency.finding).toMatchObject({ ruleId: 'target-unsupported' });
  });

  it('says that requests Envoy routes itself are not traced in direct mode, and nothing in front mode', () => {
    const traced = (mode: 'direct' | 'front') => {
      const ir = withMode(sampleIR(), mode);
      ir.gateway.telemetry = { otlp: { endpoint: 'http://collector:4318/v1/traces', headers: {}, samplingRatio: 1, serviceName: 'gw' } };
      return build(ir)
        .findings.filter((f) => f.path.includes('telemetry'))
        .map((f) => `${f.ruleId} ${f.resource} ${f.path.join('.')}`);
    };
    expect(traced('direct')).toEqual(['target-unsupported Gateway/acme-gateway spec.telemetry.otlp']);
    expect(traced('front')).toEqual([]);
  });

  it('keeps the admin interface on localhost', () => {
    expect(b.admin.address.socket_address.address).toBe('127.0.0.1');
  });
});

describe('front mode', () => {
  it("terminates TLS, verifies JWTs with the issuers' public keys and sends everything to the Node gateways", () => {
    const ir = jwtOnly(withMode(sampleIR(), 'front'));
    const out = build(ir);
    const b = parse(out.files['envoy.yaml']!) as Json;
    expect(b.static_resources.clusters.map((c: Json) => c.name)).toEqual(['modelgate-gateway']);
    expect(
      b.static_resources.listeners[0].filter_chains[0].transport_socket.typed_config.common_tls_context
        .tls_certificate_sds_secret_configs[0].name,
    ).toBe('listener-tls');
    expect(parse(out.files['sds/listener-tls.yaml']!).resources[0].tls_certificate.private_key).toEqual({
      filename: '/etc/modelgate/tls/tls.key',
    });
    const jwt = hcmOf(b).http_filters.find((f: Json) => f.name === 'envoy.filters.http.jwt_authn').typed_config;
    const provider = Object.values(jwt.providers)[0] as Json;
    expect(provider).toMatchObject({ issuer: 'https://sso.acme.example', audiences: ['modelgate'], forward: true });
    expect(JSON.parse(provider.local_jwks.inline_string).keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(jwt.rules.slice(0, 2)).toEqual([{ match: { path: '/healthz' } }, { match: { path: '/readyz' } }]);
    // The metrics endpoint is not served to clients through Envoy.
    expect(routesOf(b)[0]).toMatchObject({ match: { path: '/metrics' }, direct_response: { status: 404 } });
    expect(routesOf(b).at(-1)).toMatchObject({ match: { prefix: '/' }, route: { cluster: 'modelgate-gateway' } });
  });

  it('passes every API the Node gateway serves to it, MCP included', () => {
    const b = parse(build(withMode(sampleIR(), 'front')).files['envoy.yaml']!) as Json;
    for (const [method, path] of [...AGENT_REQUESTS, ['POST', '/mcp'], ['GET', '/v1/models']] as const) {
      expect(routeFor(routesOf(b), method, path)?.route?.cluster, `${method} ${path}`).toBe('modelgate-gateway');
    }
  });

  it('leaves JWTs to the Node gateways when API-key consumers share the Authorization header', () => {
    const out = build(withMode(sampleIR(), 'front'));
    expect(hcmOf(parse(out.files['envoy.yaml']!)).http_filters.map((f: Json) => f.name)).toEqual([
      'envoy.filters.http.local_ratelimit',
      'envoy.filters.http.router',
    ]);
    expect(out.findings).toEqual([expect.objectContaining({ severity: 'info', resource: 'Gateway/acme-gateway', path: ['spec', 'auth'] })]);
  });
});
