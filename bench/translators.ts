// In-process CPU per translated request of the agents' APIs, as the gateway bench's translated lanes run them:
// the client's body parsed and checked, the chat pivot's request to the provider (Messages -> OpenAI chat,
// Responses -> Anthropic Messages) encoded, and the mock upstream's answer (bench/servers/mock-upstream.mjs)
// translated back, JSON or each event of the stream. Nothing of the gateway's HTTP, auth, limits or logs: what
// translation itself costs. With --before OLD (another checkout's root) the same runs on its translators, in
// the same process, alternating rounds (ABBA).
// Usage: npx tsx bench/translators.ts [--requests 20000] [--rounds 4] [--before /work/main]
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IRProvider, IRRoute } from '../compiler/ir/types.ts';
import type { IngressApi } from '../gateway/apis/api.ts';
import type { ProviderAdapter } from '../gateway/providers/adapter.ts';
import { APIS, BODIES, type BodyKind } from './gateway-apis.ts';
import { commandLine, count } from './lib/args.ts';
import { isMain } from './lib/cli.ts';
import { table } from './lib/markdown.ts';
import { ProcessGroup, waitForLine } from './lib/processes.ts';
import { median } from './lib/stats.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
type Translated = 'messages' | 'responses';
const TRANSLATED: readonly Translated[] = ['messages', 'responses'];

/** One checkout's APIs, each with the adapter of the provider its translated lane reaches. */
interface Translators {
  apis: Record<Translated, IngressApi<any>>;
  adapters: Record<Translated, ProviderAdapter>;
}

const provider = (type: string, model: string) =>
  ({ name: type, type, baseUrl: 'http://127.0.0.1:9/v1', headers: {}, models: [{ name: model }] }) as unknown as IRProvider;
const PROVIDERS: Record<Translated, IRProvider> = {
  messages: provider('openai', 'gpt-4o-mini'),
  responses: provider('anthropic', 'claude-bench'),
};
const ROUTE = { name: 'bench' } as IRRoute;

async function load(root: string): Promise<Translators> {
  const at = (path: string) => import(join(root, path));
  const [messages, responses, openai, anthropic] = await Promise.all([
    at('gateway/apis/messages/index.ts'),
    at('gateway/apis/responses/index.ts'),
    at('gateway/providers/openai.ts'),
    at('gateway/providers/anthropic.ts'),
  ]);
  return {
    apis: { messages: messages.messagesApi, responses: responses.responsesApi },
    adapters: { messages: openai.openAIAdapter(PROVIDERS.messages, 'k'), responses: anthropic.anthropicAdapter(PROVIDERS.responses, 'k') },
  };
}

/** The mock upstream's answers to the translated lanes' provider requests: the JSON, and the stream as it is written (one Buffer per event). */
async function upstreamAnswers(): Promise<Record<Translated, Record<BodyKind, Buffer[]>>> {
  const group = new ProcessGroup();
  try {
    const mock = group.start('mock-upstream', process.execPath, ['bench/servers/mock-upstream.mjs'], { cwd: ROOT });
    const origin = `http://127.0.0.1:${await waitForLine(mock, /listening (\d+)/, 10_000)}`;
    const get = async (path: string, body: BodyKind) => {
      const text = await (await fetch(origin + path, { method: 'POST', body: JSON.stringify({ stream: body === 'sse' }) })).text();
      return body === 'json' ? [Buffer.from(text)] : text.split(/(?<=\n\n)/).map((e) => Buffer.from(e));
    };
    return {
      messages: { json: await get('/v1/chat/completions', 'json'), sse: await get('/v1/chat/completions', 'sse') },
      responses: { json: await get('/v1/messages', 'json'), sse: await get('/v1/messages', 'sse') },
    };
  } finally {
    group.dispose();
  }
}

/** One request through `t`'s translated leg; the bytes made, so that nothing is optimised away. */
function translate(t: Translators, api: Translated, body: BodyKind, answer: Buffer[]): number {
  const raw = Buffer.from(APIS[api].body('bench', body));
  const call = { requestedModel: 'bench', note() {} } as any;
  const req = t.apis[api].parse(JSON.parse(raw.toString('utf8')), raw, ROUTE);
  const candidate = { provider: { adapter: t.adapters[api], ir: PROVIDERS[api] }, model: PROVIDERS[api].models[0] } as any;
  const leg = t.apis[api].leg(candidate);
  const sent = leg.request(call, req, candidate) as { body: string | Buffer };
  if (body === 'json') return sent.body.length + String(leg.answer(call, req, candidate, answer[0]!).body).length;
  const stream = leg.stream(call, req, candidate);
  let made = sent.body.length;
  for (const event of answer) made += String(stream.push(event)).length;
  return made + String(stream.end()).length;
}

/** CPU µs per request (user + system), after a warm-up. */
function cpuPerRequest(t: Translators, api: Translated, body: BodyKind, answer: Buffer[], requests: number): number {
  let made = 0;
  for (let i = 0; i < requests / 4; i++) made += translate(t, api, body, answer);
  const before = process.cpuUsage();
  for (let i = 0; i < requests; i++) made += translate(t, api, body, answer);
  const used = process.cpuUsage(before);
  if (made === 0) throw new Error('nothing translated');
  return (used.user + used.system) / requests;
}

export async function runTranslatorsBench(requests: number, rounds: number, before?: string): Promise<string> {
  const answers = await upstreamAnswers();
  const systems: [string, Translators][] = [['this checkout', await load(ROOT)]];
  if (before) systems.push([`before (${before})`, await load(resolve(before))]);
  const rows: string[][] = [];
  for (const api of TRANSLATED) {
    for (const body of BODIES) {
      const runs = systems.map((): number[] => []);
      for (let round = 0; round < rounds; round++) {
        const order = round % 2 === 0 ? systems.keys() : [...systems.keys()].reverse();
        for (const i of order) runs[i]!.push(cpuPerRequest(systems[i]![1], api, body, answers[api][body], requests));
      }
      rows.push([`${APIS[api].path} translated, ${body}`, ...runs.map((r) => `${median(r).toFixed(1)} µs`)]);
    }
  }
  return table(['cell', ...systems.map(([name]) => name)], rows);
}

if (isMain(import.meta.url)) {
  const { values } = commandLine({
    script: 'bench/translators.ts',
    summary: "In-process CPU per translated request of the agents' APIs (Messages and Responses over the chat pivot).",
    options: {
      requests: count(20000, 'requests per round and lane'),
      rounds: count(4, 'alternating rounds'),
      before: { type: 'string', value: 'DIR', description: "another checkout's root whose translators run beside these (ABBA)" },
    },
  });
  process.stdout.write(`${await runTranslatorsBench(values.requests, values.rounds, values.before)}\n`);
}
