// In-process cost of a response-side guard on a chat stream: the chat leg's translator chain (OpenAI chunks, the
// requested model written in) fed the mock upstream's events one chunk each, with and without the guardrail
// bench's three built-in guardrails (pii with all five detectors, secrets, deniedTopics; `stage: both`, `flag`),
// request check included, each read's events checked together as the relay does. CPU time per stream, so a shared
// machine's load weighs less than on requests/s. Two answers: the mock's (4 text events, 32 characters; a read per
// event, or all in one read as the bench's upstream sends it) and a long one (400 events, a read each), where each
// event is checked on the full sliding window (`WINDOW_CHARS`).
// Usage: npx tsx bench/guarded-stream.ts [--streams 20000] [--rounds 3]
import type { IRGuardrail, IRGuardrailCheck, IRProvider } from '../compiler/ir/types.ts';
import { chatLeg } from '../gateway/apis/chat.ts';
import type { OutgoingChat } from '../gateway/providers/adapter.ts';
import { openAIAdapter } from '../gateway/providers/openai.ts';
import { createChecker } from '../gateway/guardrails/checkers.ts';
import { Guards } from '../gateway/guardrails/guards.ts';
import type { GuardedCall } from '../gateway/guardrails/run.ts';
import type { Candidate } from '../gateway/routing.ts';
import { commandLine, count } from './lib/args.ts';
import { isMain } from './lib/cli.ts';
import { table } from './lib/markdown.ts';
import { median } from './lib/stats.ts';

const MODEL = 'gpt-4o-mini';
const provider = {
  name: 'mock',
  type: 'openai',
  baseUrl: 'http://127.0.0.1:9/v1',
  headers: {},
  models: [{ name: MODEL }],
} as unknown as IRProvider;
const candidate = {
  provider: { adapter: openAIAdapter(provider, 'bench-key'), ir: provider },
  model: provider.models[0],
} as unknown as Candidate;
const call = { requestedModel: 'guarded', api: { name: 'chat' }, verdict() {} } as unknown as GuardedCall &
  Parameters<typeof chatLeg.stream>[0];

const guardrail = (name: string, check: unknown): IRGuardrail => ({
  name,
  labels: {},
  stage: 'both',
  action: 'flag',
  timeoutMs: 1000,
  onError: 'deny',
  check: check as IRGuardrailCheck,
});
const guards = new Guards(
  [
    guardrail('pii', { type: 'pii', detectors: ['email', 'phone', 'card', 'iban', 'ipv4'], patterns: [] }),
    guardrail('secrets', { type: 'secrets' }),
    guardrail('topics', { type: 'deniedTopics', words: ['project phoenix', 'merger', 'layoffs'] }),
  ].map((ir) => ({ ir, checker: createChecker(ir, () => '') })),
);

/** The chat chunks the mock upstream sends for `pieces` (bench/servers/mock-upstream.mjs), one Buffer each. */
function answer(pieces: string[]): Buffer[] {
  const chunk = (delta: unknown, finish: string | null = null, usage?: unknown) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1735689600, model: MODEL, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(usage ? { usage } : {}) })}\n\n`;
  const usage = { prompt_tokens: 9, completion_tokens: pieces.length, total_tokens: 9 + pieces.length };
  return [
    chunk({ role: 'assistant', content: '' }),
    ...pieces.map((content) => chunk({ content })),
    chunk({}, 'stop', usage),
    'data: [DONE]\n\n',
  ].map((e) => Buffer.from(e));
}

const SHORT = answer(['Hello!', ' How can', ' I help', ' you today?']);
const LONG = answer(Array.from({ length: 400 }, (_, i) => (i % 9 === 0 ? ' order 4821' : ' the parcel')));

const request = (): OutgoingChat => ({
  body: { model: 'guarded', messages: [{ role: 'user', content: 'hello' }] },
  stream: true,
  includeUsage: false,
  maxTokens: undefined,
});

/**
 * One stream through the chain, the request check awaited as the gateway does (a route without guardrails
 * awaits nothing); the bytes it let through, so that nothing is optimised away.
 */
async function stream(reads: readonly Buffer[][], guarded: boolean): Promise<number> {
  const req = request();
  await (guarded ? guards.request(call, { redact: (r, visit) => redactMessages(r, visit) }, req) : undefined);
  const inner = chatLeg.stream(call, req, candidate);
  const guard = guarded ? guards.stream(call, inner) : undefined;
  const chain = guard?.translator ?? inner;
  let sent = 0;
  // As the relay does: what one read's chunks come to is joined, checked and sent at once.
  const send = (texts: (string | Buffer)[]) => {
    const out = Buffer.concat(texts.map((t) => (typeof t === 'string' ? Buffer.from(t) : t)));
    guard?.check(out);
    sent += out.length;
  };
  for (const [i, read] of reads.entries()) {
    const texts = read.map((e) => chain.push(e));
    if (i < reads.length - 1) send(texts);
    else send([...texts, chain.end()]);
  }
  return sent;
}

function redactMessages(req: OutgoingChat, visit: (text: string) => string): void {
  for (const m of req.body.messages as { content: string }[]) m.content = visit(m.content);
}

/** CPU µs per stream, after a warm-up. */
async function cpuPerStream(events: readonly Buffer[][], guarded: boolean, streams: number): Promise<number> {
  let sink = 0;
  for (let i = 0; i < streams / 10; i++) sink += await stream(events, guarded);
  const before = process.cpuUsage();
  for (let i = 0; i < streams; i++) sink += await stream(events, guarded);
  const used = process.cpuUsage(before);
  if (sink === 0) throw new Error('nothing streamed');
  return (used.user + used.system) / streams;
}

export async function runGuardedStreamBench(streams: number, rounds: number): Promise<string> {
  const rows: string[][] = [];
  // Each event in a read of its own (a model generating), or the mock's whole answer in one read (the guardrail
  // bench's upstream, which writes it at once).
  const each = (events: Buffer[]) => events.map((e) => [e]);
  for (const [name, events, reads, n] of [
    ['the mock answer (4 text events), a read per event', SHORT, each(SHORT), streams],
    ['the mock answer (4 text events), one read', SHORT, [SHORT], streams],
    ['a long answer (400 text events), a read per event', LONG, each(LONG), Math.max(1, Math.round(streams / 50))],
  ] as const) {
    const runs = { plain: [] as number[], guarded: [] as number[] };
    // Alternating, so that a shared machine's drift hits both alike.
    for (let r = 0; r < rounds; r++)
      for (const guarded of [false, true]) runs[guarded ? 'guarded' : 'plain'].push(await cpuPerStream(reads, guarded, n));
    const [plain, guarded] = [median(runs.plain), median(runs.guarded)];
    const textEvents = events.length - 3;
    rows.push([
      name,
      `${plain.toFixed(1)} µs`,
      `${guarded.toFixed(1)} µs`,
      `${(guarded - plain).toFixed(1)} µs`,
      `${((guarded - plain) / textEvents).toFixed(2)} µs`,
    ]);
  }
  return [
    `Median of ${rounds} alternating rounds; CPU time per stream in this process.`,
    '',
    table(['answer', 'no guardrail', 'pii + secrets + topics', 'added', 'added per text event'], rows),
  ].join('\n');
}

if (isMain(import.meta.url)) {
  const { values } = commandLine({
    script: 'bench/guarded-stream.ts',
    summary: "In-process CPU per chat stream of the response-side guard, with and without the bench's guardrails.",
    options: {
      streams: count(20000, 'streams per round and answer'),
      rounds: count(3, 'alternating rounds'),
    },
  });
  console.log(await runGuardedStreamBench(values.streams, values.rounds));
}
