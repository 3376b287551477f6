// A gateway wired to mock upstreams, for the runtime's tests: a small IR that uses every feature, API keys whose
// plain values the tests know, credentials resolved from a fake environment, usage lines captured in memory.
import { createHash } from 'node:crypto';
import type { IR, IRProvider, IRRoute } from '../../compiler/ir/types.ts';
import { testGateway, testIR } from './ir-fixture.ts';
import {
  BEDROCK_TEST_CREDENTIALS,
  BEDROCK_TEST_REGION,
  startMockAnthropic,
  startMockBedrock,
  startMockGemini,
  startMockOpenAI,
  type MockUpstream,
} from '../mock-providers/index.ts';
import { startGateway, type Gateway } from '../../gateway/gateway.ts';
import { createLogger } from '../../gateway/log.ts';
import { createSecretResolver } from '../../gateway/secrets.ts';

/** Client keys of the fixture's consumers. */
export const KEYS = { alice: 'sk-test-alice', bob: 'sk-test-bob', carol: 'sk-test-carol' } as const;
/** What the gateway sends upstream; tests check these never reach a log line. */
export const UPSTREAM_KEYS = {
  OAI_KEY: 'sk-upstream-openai-PLANTED',
  ANT_KEY: 'sk-upstream-anthropic-PLANTED',
  BRK_KEY_ID: BEDROCK_TEST_CREDENTIALS.accessKeyId,
  BRK_SECRET: BEDROCK_TEST_CREDENTIALS.secretAccessKey,
  GEM_KEY: 'AIza-upstream-gemini-PLANTED',
};
/** The model ids the native providers serve in the fixture. */
export const NATIVE_MODELS = { bedrock: 'anthropic.claude-3-5-haiku-20241022-v1:0', gemini: 'gemini-2.5-flash' } as const;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const env = (name: string) => ({ ref: `env:${name}`, source: 'env' as const, name });

const route = (r: Pick<IRRoute, 'name' | 'targets'> & Partial<IRRoute>): IRRoute => ({
  labels: {},
  type: 'chat',
  fallbacks: [],
  retry: { attempts: 1, backoffMs: 5, statuses: [429, 500, 502, 503, 504], onTimeout: true, onReset: true },
  timeoutMs: 10_000,
  cache: { enabled: false, ttlMs: 60_000 },
  ...r,
});

const provider = (p: Pick<IRProvider, 'name' | 'type' | 'baseUrl' | 'credential' | 'models'> & Partial<IRProvider>): IRProvider => ({
  labels: {},
  timeoutMs: 2_000,
  retries: 1,
  headers: {},
  ...p,
});

/** Mock Bedrock and Gemini upstreams: with them, the fixture adds providers `brk` and `gem`, routes `bedrock` and `gemini`. */
export interface NativeMocks {
  brk: MockUpstream;
  gem: MockUpstream;
}

export function fixtureIR(oai: MockUpstream, ant: MockUpstream, natives?: NativeMocks): IR {
  const ir = testIR({
    gateway: testGateway({
      name: 'test-gateway',
      limits: { maxBodyBytes: 64 * 1024, maxResponseBytes: 64 * 1024 * 1024, requestTimeoutMs: 30_000, headersTimeoutMs: 5_000 },
      stores: { limits: { type: 'memory', maxEntries: 1000 }, cache: { type: 'memory', maxEntries: 1000 } },
      logging: { level: 'error', usage: { enabled: true, path: 'stdout', includePrompts: false } },
    }),
    providers: [
      provider({
        name: 'oai',
        type: 'openai',
        baseUrl: oai.baseUrl,
        credential: env('OAI_KEY'),
        models: [
          { name: 'gpt-4o-mini', type: 'chat', inputPricePer1M: 0.15, outputPricePer1M: 0.6, deprecated: false },
          { name: 'text-embedding-3-small', type: 'embeddings', inputPricePer1M: 0.02, outputPricePer1M: 0, deprecated: false },
        ],
      }),
      provider({
        name: 'ant',
        type: 'anthropic',
        baseUrl: ant.origin,
        credential: env('ANT_KEY'),
        apiVersion: '2023-06-01',
        models: [{ name: 'claude-3-5-haiku', type: 'chat', inputPricePer1M: 0.8, outputPricePer1M: 4, deprecated: false }],
      }),
    ],
    routes: [
      route({
        name: 'chat',
        targets: [{ provider: 'oai', model: 'gpt-4o-mini', weight: 100 }],
        fallbacks: [{ provider: 'ant', model: 'claude-3-5-haiku' }],
        maxTokens: 500,
      }),
      route({ name: 'claude', targets: [{ provider: 'ant', model: 'claude-3-5-haiku', weight: 100 }] }),
      route({ name: 'cached', targets: [{ provider: 'oai', model: 'gpt-4o-mini', weight: 100 }], cache: { enabled: true, ttlMs: 60_000 } }),
      route({ name: 'embed', type: 'embeddings', targets: [{ provider: 'oai', model: 'text-embedding-3-small', weight: 100 }] }),
    ],
    prompts: [
      {
        name: 'greet',
        labels: {},
        route: 'claude',
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
        serve: [{ version: 'v1', weight: 100 }],
      },
    ],
    consumers: [
      { name: 'alice', labels: {}, apiKeys: [{ id: 'alice-1', sha256: sha256(KEYS.alice) }] },
      { name: 'bob', labels: {}, apiKeys: [{ id: 'bob-1', sha256: sha256(KEYS.bob) }] },
      { name: 'carol', labels: {}, apiKeys: [{ id: 'carol-1', sha256: sha256(KEYS.carol) }] },
    ],
    accessPolicies: [
      {
        name: 'everything',
        labels: {},
        consumers: ['alice'],
        routes: ['cached', 'chat', 'claude', 'embed'],
        prompts: ['greet'],
        limits: {},
        redaction: { pii: ['email'], patterns: [{ name: 'order-id', regex: 'ORD-[0-9]{4}' }] },
      },
      {
        name: 'limited',
        labels: {},
        consumers: ['bob'],
        routes: ['chat'],
        prompts: [],
        limits: { requestsPerMinute: 2 },
        redaction: { pii: [], patterns: [] },
      },
    ],
  });
  if (natives) addNatives(ir, natives);
  return ir;
}

function addNatives(ir: IR, { brk, gem }: NativeMocks): void {
  ir.providers.push(
    provider({
      name: 'brk',
      type: 'bedrock',
      baseUrl: brk.baseUrl,
      credential: null,
      aws: { region: BEDROCK_TEST_REGION, accessKeyId: env('BRK_KEY_ID'), secretAccessKey: env('BRK_SECRET') },
      models: [{ name: NATIVE_MODELS.bedrock, type: 'chat', inputPricePer1M: 0.8, outputPricePer1M: 4, deprecated: false }],
    }),
    provider({
      name: 'gem',
      type: 'gemini',
      baseUrl: gem.baseUrl,
      credential: env('GEM_KEY'),
      models: [{ name: NATIVE_MODELS.gemini, type: 'chat', inputPricePer1M: 0.3, outputPricePer1M: 2.5, deprecated: false }],
    }),
  );
  ir.routes.push(
    route({ name: 'bedrock', targets: [{ provider: 'brk', model: NATIVE_MODELS.bedrock, weight: 100 }] }),
    route({ name: 'gemini', targets: [{ provider: 'gem', model: NATIVE_MODELS.gemini, weight: 100 }] }),
  );
  ir.accessPolicies[0]!.routes.push('bedrock', 'gemini');
}

export interface TestGateway {
  gateway: Gateway;
  oai: MockUpstream;
  ant: MockUpstream;
  brk: MockUpstream;
  gem: MockUpstream;
  /** Usage lines written so far, parsed. */
  usage: any[];
  /** Raw usage log text, for checks that nothing leaks. */
  usageText(): string;
  /** Operational log lines written so far (every level), for the same checks. */
  logText(): string;
  /** `http://127.0.0.1:PORT/v1` */
  baseURL: string;
  close(): Promise<void>;
}

/** Starts both mocks and a gateway in front of them; `patch` edits the IR first, `env` adds secrets. */
export async function startTestGateway(patch: (ir: IR) => void = () => {}, env: Record<string, string> = {}): Promise<TestGateway> {
  const [oai, ant, brk, gem] = await Promise.all([
    startMockOpenAI({ apiKey: UPSTREAM_KEYS.OAI_KEY }),
    startMockAnthropic({ apiKey: UPSTREAM_KEYS.ANT_KEY }),
    startMockBedrock({ credentials: BEDROCK_TEST_CREDENTIALS, region: BEDROCK_TEST_REGION }),
    startMockGemini({ apiKey: UPSTREAM_KEYS.GEM_KEY }),
  ]);
  const ir = fixtureIR(oai, ant, { brk, gem });
  patch(ir);
  const lines: string[] = [];
  const logLines: string[] = [];
  const gateway = await startGateway({
    ir,
    secrets: createSecretResolver({ ...UPSTREAM_KEYS, ...env }),
    usageLog: { write: (line) => void lines.push(line), close: async () => {} },
    log: createLogger('debug', (line) => void logLines.push(line)),
  });
  return {
    gateway,
    oai,
    ant,
    brk,
    gem,
    get usage() {
      return lines.map((l) => JSON.parse(l));
    },
    usageText: () => lines.join('\n'),
    logText: () => logLines.join(''),
    baseURL: `${gateway.url}/v1`,
    async close() {
      await gateway.shutdown(1000);
      await Promise.all([oai.close(), ant.close(), brk.close(), gem.close()]);
    },
  };
}
