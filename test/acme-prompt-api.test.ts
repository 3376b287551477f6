// The README's local walkthrough for acme's prompt API: the fixture compiled through the real pipeline (`local`
// environment), its providers on the mocks as scripts/mock-providers.ts runs them (a JSON example of the schema a
// request asks for), and POST /ai-code-reviewer answering a JSON object of the prompt's response schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../gateway/gateway.ts';
import { createLogger } from '../gateway/log.ts';
import { createSecretResolver } from '../gateway/secrets.ts';
import { startMockAnthropic, startMockOpenAI, type MockUpstream } from './mock-providers/index.ts';
import { exampleOf, structuredReply } from './mock-providers/structured.ts';
import { acmeIR } from './support/acme.ts';

let oai: MockUpstream;
let ant: MockUpstream;
let gateway: Gateway;
const ir = acmeIR('local');
const reviewer = ir.prompts.find((p) => p.name === 'code-reviewer')!;

beforeAll(async () => {
  const defaults = { reply: (body: unknown) => structuredReply(body) ?? 'Hello.' };
  [oai, ant] = await Promise.all([startMockOpenAI({ defaults }), startMockAnthropic({ defaults })]);
  // The local environment's fixed mock ports, moved to the mocks' own.
  for (const p of ir.providers)
    p.baseUrl = p.baseUrl.replace('http://127.0.0.1:4010', oai.origin).replace('http://127.0.0.1:4011', ant.origin);
  ir.gateway.logging.usage.enabled = false;
  gateway = await startGateway({
    ir,
    secrets: createSecretResolver({
      OPENAI_API_KEY: 'sk-local',
      ANTHROPIC_API_KEY: 'sk-ant-local',
      MODELGATE_SECRET_AZURE_OPENAI_API_KEY: 'local',
      ACME_JWT_SECRET: 'local-jwt-secret',
      DOCS_MCP_TOKEN: 'local',
      HELPDESK_MCP_KEY: 'local',
    }),
    log: createLogger('error', () => {}),
  });
});
afterAll(async () => {
  await gateway.shutdown(1000);
  await Promise.all([oai.close(), ant.close()]);
});

describe("acme's code reviewer API", () => {
  it('answers its test case with a JSON object of its response schema', async () => {
    const res = await fetch(`${gateway.url}/ai-code-reviewer`, {
      method: 'POST',
      headers: { authorization: 'Bearer mg-test-payments-key-2', 'content-type': 'application/json' },
      body: JSON.stringify(reviewer.tests![0]!.request),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(exampleOf(reviewer.expose!.response));
    expect(exampleOf(reviewer.expose!.response)).toEqual({ review_comment: 'mock', severity: 'info' });
  });
});
