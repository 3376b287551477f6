// Hand-made IR pieces for runtime tests: what the IR builder makes of minimal resources, so that every value a
// test does not set is the schema's default, with the test's changes on top.
import { buildAccessPolicy, buildConsumer, buildGateway, buildProvider, buildRoute } from '../../compiler/ir/build.ts';
import type { IR, IRAccessPolicy, IRConsumer, IRGateway, IRModel, IRProvider, IRRoute } from '../../compiler/ir/types.ts';
import { API_VERSION } from '../../schema/kinds.ts';
import type { ProviderSpec, RouteSpec } from '../../schema/types.ts';

const envelope = <K extends string>(kind: K, name: string): { apiVersion: typeof API_VERSION; kind: K; metadata: { name: string } } => ({
  apiVersion: API_VERSION,
  kind,
  metadata: { name },
});

export function testGateway(overrides: Partial<IRGateway> = {}): IRGateway {
  return { ...buildGateway('test', { listen: { host: '127.0.0.1', port: 0 } }), ...overrides };
}

export function testIR(parts: Partial<Omit<IR, 'irVersion'>> = {}): IR {
  return {
    irVersion: 1,
    environment: { name: 'test', tier: 'testing' },
    gateway: testGateway(),
    providers: [],
    routes: [],
    prompts: [],
    consumers: [],
    accessPolicies: [],
    ...parts,
  };
}

/** An `openai` provider at `https://<name>.example` serving gpt-4o-mini, without credential or prices. */
export function testProvider(name: string, overrides: Partial<IRProvider> = {}): IRProvider {
  const spec: ProviderSpec = { type: 'openai', baseUrl: `https://${name}.example`, models: [{ name: 'gpt-4o-mini' }] };
  return { ...buildProvider(name, { ...envelope('Provider', name), spec }), ...overrides };
}

export function testModel(name: string, overrides: Partial<IRModel> = {}): IRModel {
  return { ...testProvider('test').models[0]!, name, ...overrides };
}

export function testConsumer(name: string, overrides: Partial<IRConsumer> = {}): IRConsumer {
  return { ...buildConsumer(name, { ...envelope('Consumer', name), spec: {} }), ...overrides };
}

export function testRoute(name: string, overrides: Partial<IRRoute> = {}): IRRoute {
  const spec: RouteSpec = { targets: [{ provider: 'openai', model: 'gpt-4o-mini' }] };
  return { ...buildRoute(name, { ...envelope('Route', name), spec }), ...overrides };
}

export function testPolicy(name: string, overrides: Partial<IRAccessPolicy> = {}): IRAccessPolicy {
  return { ...buildAccessPolicy(name, { ...envelope('AccessPolicy', name), spec: { subjects: {} } }, [], [], [], []), ...overrides };
}
