// The real Codex CLI through the gateway's Responses API (`wire_api = "responses"`): a one-shot prompt and a
// tool-use turn (the model asks for `exec_command`, Codex runs it in its workspace and sends the output back), on
// a route passed through to OpenAI and on one translated to Anthropic, both mock upstreams on 127.0.0.1.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CODEX_MISSING, runCodex } from './support/codex-cli.ts';
import { startTestGateway, type TestGateway } from './support/gateway-fixture.ts';
import { KEYS } from './support/ir-fixture.ts';
import type { MockUpstream, RecordedRequest } from './mock-providers/index.ts';

if (CODEX_MISSING) console.warn(CODEX_MISSING);

/** The routes of the gateway fixture, and what their upstream receives a tool's output as. */
const ROUTES = [
  {
    route: 'chat',
    kind: 'passed through to OpenAI',
    upstream: 'oai',
    path: '/v1/responses',
    toolOutput: (r: RecordedRequest) => r.body.input.find((i: any) => i.type === 'function_call_output')?.output,
  },
  {
    route: 'claude',
    kind: 'translated to Anthropic',
    upstream: 'ant',
    path: '/v1/messages',
    toolOutput: (r: RecordedRequest) => r.body.messages.at(-1).content.find((b: any) => b.type === 'tool_result')?.content,
  },
] as const;

describe.skipIf(CODEX_MISSING !== undefined)('Codex CLI through the gateway', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway();
  });
  afterAll(() => t?.close());
  beforeEach(() => {
    t.oai.reset();
    t.ant.reset();
  });

  const codex = (model: string, prompt: string, files?: Record<string, string>) =>
    runCodex({ baseURL: t.baseURL, apiKey: KEYS.alice, model, prompt, files });

  describe.each(ROUTES)('on a route $kind', ({ route, upstream, path, toolOutput }) => {
    const mock = (): MockUpstream => t[upstream];

    it('completes a one-shot prompt', async () => {
      mock().enqueue({ reply: `PONG from ${route}` });
      const run = await codex(route, 'Say PONG');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(`PONG from ${route}`);
      expect(run.outside).toEqual([]);
      expect(mock().requests.map((r) => r.path)).toEqual([path]);
      expect(t.usage.at(-1)).toMatchObject({ api: 'responses', route, consumer: 'alice', status: 200, stream: true });
    });

    it('completes a tool-use turn: Codex runs the command and sends its output back', async () => {
      const content = `the secret word is ${route}-marmalade`;
      mock().enqueue(
        { toolCall: { id: 'call_cat1', name: 'exec_command', arguments: { cmd: 'cat hello.txt' } } },
        { reply: `The file says: ${content}` },
      );
      const run = await codex(route, 'What does hello.txt say?', { 'hello.txt': `${content}\n` });
      expect(run.code, run.stderr).toBe(0);
      expect(run.outside).toEqual([]);
      const [ask, answer] = mock().requests;
      expect(mock().requests).toHaveLength(2);
      expect(ask.path).toBe(path);
      expect(toolOutput(answer)).toContain(content);
      expect(run.stdout).toContain(`The file says: ${content}`);
    });
  });
});
