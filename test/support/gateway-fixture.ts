// A gateway wired to mock upstreams, for the runtime's tests: `gatewayIR` (every feature, API keys whose plain
// values the tests know, the native providers), credentials resolved from a fake environment, usage lines captured
// in memory.
import type { IR } from '../../compiler/ir/types.ts';
import { gatewayIR } from './ir-fixture.ts';
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
import { TurnBatch } from '../../gateway/usage-log.ts';

/** What the gateway sends upstream (`gatewayIR`'s `env:` credentials); tests check these never reach a log line. */
export const UPSTREAM_KEYS = {
  OAI_KEY: 'sk-upstream-openai-PLANTED',
  ANT_KEY: 'sk-upstream-anthropic-PLANTED',
  BRK_KEY_ID: BEDROCK_TEST_CREDENTIALS.accessKeyId,
  BRK_SECRET: BEDROCK_TEST_CREDENTIALS.secretAccessKey,
  GEM_KEY: 'AIza-upstream-gemini-PLANTED',
};
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
  const ir = gatewayIR(oai, ant, { brk, gem });
  patch(ir);
  const lines: string[] = [];
  const logLines: string[] = [];
  const gateway = await startGateway({
    ir,
    secrets: createSecretResolver({ ...UPSTREAM_KEYS, ...env }),
    // The gateway's own batching, so that tests see lines as a file would get them.
    usageLog: new TurnBatch((text) => void lines.push(...text.slice(0, -1).split('\n'))),
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

/** `modelgate_circuit_state` of one provider model as the gateway's /metrics shows it; undefined when absent. */
/**
 * For a `startTestGateway` patch: provider `name` at `origin` (the first provider's settings, then `extra`), a route
 * of the same name to its gpt-4o-mini alone, granted to the first access policy.
 */
export function addUpstreamRoute(ir: IR, name: string, origin: string, extra: Partial<IR['providers'][number]> = {}): void {
  ir.providers.push({ ...ir.providers[0]!, name, baseUrl: `${origin}/v1`, ...extra });
  ir.routes.push({ ...ir.routes[0]!, name, targets: [{ provider: name, model: 'gpt-4o-mini', weight: 100 }], fallbacks: [] });
  ir.accessPolicies[0]!.routes.push(name);
}

export async function circuitGauge(t: TestGateway, provider: string, model: string): Promise<number | undefined> {
  const text = await t.gateway.metrics.text();
  const line = text.split('\n').find((l) => l.startsWith(`modelgate_circuit_state{provider="${provider}",model="${model}"}`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

/** Polls `check` every 10 ms until it holds; the `Date.now()` at which it first did. Throws after `withinMs`. */
export async function until(check: () => Promise<boolean> | boolean, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await check()) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`not within ${withinMs} ms`);
}
