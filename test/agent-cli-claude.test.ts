// Claude Code itself through the gateway: a one-shot prompt and a tool-use turn on a route backed by Anthropic
// (passed through) and on one backed by OpenAI (translated), each reached by the model id Claude Code sends.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { agentCliMissing, runClaudeCode } from './support/agent-clis.ts';
import { startTestGateway, UPSTREAM_KEYS, type TestGateway } from './support/gateway-fixture.ts';
import { KEYS } from './support/ir-fixture.ts';

const missing = agentCliMissing('claude');
const FILE_TEXT = 'The answer is 42.';

let t: TestGateway;
let workspace: string;
/** Usage lines written before the current test. */
let before = 0;
const usage = () => t.usage.slice(before);
beforeAll(async () => {
  if (missing) return;
  t = await startTestGateway((ir) => {
    // Claude Code's requests (system prompt, a dozen tool schemas) are about 70 KB; the fixture allows 64 KiB.
    ir.gateway.limits.maxBodyBytes = 1024 * 1024;
    const claude = ir.routes.find((r) => r.name === 'claude')!;
    claude.aliases = { exact: [], patterns: ['claude-sonnet-*'] };
    // Claude Code asks for max_tokens 32,000; gpt-4o-mini writes at most 16,384.
    ir.routes.push({
      ...claude,
      name: 'claude-on-gpt',
      maxTokens: 16_384,
      targets: [{ provider: 'oai', model: 'gpt-4o-mini', weight: 100 }],
      aliases: { exact: [], patterns: ['claude-haiku-*'] },
    });
    ir.accessPolicies[0]!.routes.push('claude-on-gpt');
  });
  workspace = mkdtempSync(join(tmpdir(), 'mg-claude-workspace-'));
  writeFileSync(join(workspace, 'hello.txt'), `${FILE_TEXT}\n`);
});
afterAll(async () => {
  await t?.close();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});
beforeEach(() => {
  t?.oai.reset();
  t?.ant.reset();
  before = t?.usage.length ?? 0;
});

/** Runs Claude Code with the model id and returns its `--output-format json` result. */
async function claude(model: string, prompt: string) {
  // Killed before the test times out, so a hang shows what the CLI printed.
  const run = await runClaudeCode({ baseUrl: t.gateway.url, apiKey: KEYS.alice, model, prompt, cwd: workspace, timeoutMs: 25_000 });
  expect(run.code, run.stderr || run.stdout).toBe(0);
  return JSON.parse(run.stdout) as { result: string; is_error: boolean; num_turns: number };
}

const ROUTES = [
  {
    kind: 'Anthropic (passthrough)',
    model: 'claude-sonnet-4-5',
    route: 'claude',
    provider: 'ant',
    upstream: () => t.ant,
    credential: (headers: Record<string, unknown>) => headers['x-api-key'],
    upstreamKey: UPSTREAM_KEYS.ANT_KEY,
    /** What the upstream request says: the provider's model, and the route's token cap where it has one. */
    sentAs: { model: 'claude-3-5-haiku' },
    /** The text the client sent back for tool call `id` in the upstream's request body. */
    toolResult: (body: any, id: string) =>
      body.messages
        .flatMap((m: any) => (Array.isArray(m.content) ? m.content : []))
        .find((b: any) => b.type === 'tool_result' && b.tool_use_id === id)?.content,
  },
  {
    kind: 'OpenAI (translated)',
    model: 'claude-haiku-4-5',
    route: 'claude-on-gpt',
    provider: 'oai',
    upstream: () => t.oai,
    credential: (headers: Record<string, unknown>) => headers.authorization,
    upstreamKey: `Bearer ${UPSTREAM_KEYS.OAI_KEY}`,
    sentAs: { model: 'gpt-4o-mini', max_completion_tokens: 16_384 },
    toolResult: (body: any, id: string) => body.messages.find((m: any) => m.role === 'tool' && m.tool_call_id === id)?.content,
  },
];

describe.skipIf(missing)(`Claude Code through the gateway${missing ? ` (skipped: ${missing})` : ''}`, () => {
  describe.each(ROUTES)('on a route backed by $kind, asked for as $model', (r) => {
    it("answers a one-shot prompt with the provider's text, governed as alice's Messages call", async () => {
      r.upstream().enqueue({ reply: 'Hi from upstream.' });
      const out = await claude(r.model, 'say hi');
      expect(out).toMatchObject({ is_error: false, result: 'Hi from upstream.' });
      const sent = r.upstream().requests;
      expect(sent).toHaveLength(1);
      expect(sent[0]!.body).toMatchObject(r.sentAs);
      // The consumer's key (sent as x-api-key) stays at the gateway; the provider sees only its own.
      expect(r.credential(sent[0]!.headers)).toBe(r.upstreamKey);
      expect(sent[0]!.rawBody).not.toContain(KEYS.alice);
      expect(usage()).toEqual([
        expect.objectContaining({ api: 'messages', consumer: 'alice', route: r.route, provider: r.provider, status: 200, stream: true }),
      ]);
    });

    it('completes a tool-use turn: Claude Code reads the file and the provider gets its content back', async () => {
      const path = join(workspace, 'hello.txt');
      r.upstream().enqueue(
        { toolCall: { id: 'call_read1', name: 'Read', arguments: { file_path: path } } },
        { reply: 'The file says 42.' },
      );
      const out = await claude(r.model, 'what does hello.txt say?');
      expect(out).toMatchObject({ is_error: false, result: 'The file says 42.', num_turns: 2 });
      const sent = r.upstream().requests;
      expect(sent).toHaveLength(2);
      expect(JSON.stringify(r.toolResult(sent[1]!.body, 'call_read1'))).toContain(FILE_TEXT);
      const lines = usage();
      expect(lines).toHaveLength(2);
      expect(lines.every((u) => u.api === 'messages' && u.consumer === 'alice' && u.route === r.route && u.status === 200)).toBe(true);
    });
  });
});
