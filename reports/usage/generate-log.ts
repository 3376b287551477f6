// Generates a realistic gateway usage log (JSON lines, schema/usage-record.schema.json) for tests, benchmarks
// and demos. Deterministic for a seed. Names and prices follow fixtures/acme, so `--config fixtures/acme`
// budgets apply; payments is generated to overrun its budget within the month.
//
//   npx tsx reports/usage/generate-log.ts --lines 1000000 --out /tmp/usage.jsonl [--gzip] [--seed 1]
//       [--start 2026-01-01] [--days 20] [--malformed-every 0]
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import type { UsageRecord } from '../../schema/types.ts';

export interface GenerateOptions {
  lines: number;
  seed?: number;
  /** First day (UTC) of the log. */
  start?: string;
  /** Days the log spans; timestamps grow evenly across them. */
  days?: number;
  /** Every Nth line is broken (bad JSON or a wrong field) to exercise error reporting; 0 = none. */
  malformedEvery?: number;
}

interface Model {
  provider: string;
  model: string;
  in: number;
  out: number;
}
const M = {
  mini: { provider: 'openai', model: 'gpt-4o-mini', in: 0.15, out: 0.6 },
  gpt4o: { provider: 'openai', model: 'gpt-4o', in: 2.5, out: 10 },
  haiku: { provider: 'anthropic', model: 'claude-3-5-haiku-20241022', in: 0.8, out: 4 },
  llama: { provider: 'vllm', model: 'meta-llama/Llama-3.1-8B-Instruct', in: 0, out: 0 },
  embed: { provider: 'openai', model: 'text-embedding-3-small', in: 0.02, out: 0 },
} satisfies Record<string, Model>;

const ROUTES: Record<string, [Model, number][]> = {
  'chat-default': [
    [M.mini, 0.9],
    [M.haiku, 0.1],
  ],
  'chat-premium': [[M.gpt4o, 1]],
  'chat-cheap': [[M.llama, 1]],
  summarize: [[M.haiku, 1]],
  embeddings: [[M.embed, 1]],
};

/** Who calls what, how often, and with how many tokens (mean input, mean output). */
const CONSUMERS: { name: string | null; share: number; routes: [string, number][]; tokens: [number, number] }[] = [
  {
    name: 'support-bot',
    share: 0.38,
    routes: [
      ['chat-default', 0.6],
      ['summarize', 0.25],
      ['chat-cheap', 0.15],
    ],
    tokens: [1800, 350],
  },
  {
    name: 'support-desk',
    share: 0.14,
    routes: [
      ['chat-default', 0.7],
      ['summarize', 0.3],
    ],
    tokens: [1200, 300],
  },
  {
    name: 'search-indexer',
    share: 0.28,
    routes: [
      ['embeddings', 0.8],
      ['chat-cheap', 0.2],
    ],
    tokens: [600, 80],
  },
  {
    name: 'payments-api',
    share: 0.16,
    routes: [
      ['chat-premium', 0.55],
      ['chat-default', 0.45],
    ],
    tokens: [3200, 650],
  },
  { name: null, share: 0.04, routes: [['chat-default', 1]], tokens: [0, 0] },
];

/** mulberry32: small, fast and good enough for test data. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(choices: [T, number][], r: number): T {
  for (const [choice, weight] of choices) if ((r -= weight) < 0) return choice;
  return choices[choices.length - 1]![0];
}

export function* generateRecords(opts: GenerateOptions): Generator<UsageRecord> {
  const rand = random(opts.seed ?? 1);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const start = Date.parse(opts.start ?? '2026-01-01');
  const step = ((opts.days ?? 20) * 86_400_000) / Math.max(opts.lines, 1);
  const consumers = CONSUMERS.map((c) => [c, c.share] as [(typeof CONSUMERS)[number], number]);
  for (let i = 0; i < opts.lines; i++) {
    const who = pick(consumers, rand());
    const route = pick(who.routes, rand());
    const target = pick(ROUTES[route]!, rand());
    const roll = rand();
    const status = who.name === null ? 401 : roll < 0.015 ? 429 : roll < 0.025 ? 502 : roll < 0.03 ? 400 : 200;
    const cache = status !== 200 || route === 'embeddings' ? 'bypass' : rand() < 0.12 ? 'hit' : 'miss';
    const answered = status === 200 && cache !== 'hit';
    const inputTokens = answered ? Math.max(1, Math.round(who.tokens[0] * Math.exp(0.5 * normal() - 0.125))) : 0;
    const outputTokens = answered && route !== 'embeddings' ? Math.max(1, Math.round(who.tokens[1] * Math.exp(0.6 * normal() - 0.18))) : 0;
    const base = route === 'embeddings' ? 60 : 150 + outputTokens * 2.2;
    const latencyMs = cache === 'hit' ? 2 + rand() * 4 : status === 401 || status === 429 ? 1 + rand() : base * Math.exp(0.45 * normal());
    const upstream = status === 200 || status === 502;
    yield {
      ts: new Date(start + Math.floor(i * step + rand() * step)).toISOString(),
      requestId: `req-${String(i + 1).padStart(9, '0')}`,
      api: route === 'embeddings' ? 'embeddings' : 'chat',
      environment: 'prod',
      consumer: who.name,
      route,
      provider: upstream && cache !== 'hit' ? target.provider : null,
      model: upstream && cache !== 'hit' ? target.model : null,
      status,
      inputTokens,
      outputTokens,
      costUsd: Math.round(((inputTokens * target.in + outputTokens * target.out) / 1e6) * 1e9) / 1e9,
      latencyMs: Math.round(latencyMs * 10) / 10,
      cache,
      stream: route !== 'embeddings' && rand() < 0.5,
      ...(status >= 400 ? { error: ERRORS[status] } : {}),
    };
  }
}

const ERRORS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_api_key',
  429: 'rate_limit_exceeded',
  502: 'upstream_error',
};

/** The log's lines, newline-terminated, with every `malformedEvery`th line broken on purpose. */
export function* generateLines(opts: GenerateOptions): Generator<string> {
  let n = 0;
  for (const record of generateRecords(opts)) {
    n++;
    const line = JSON.stringify(record);
    if (opts.malformedEvery && n % opts.malformedEvery === 0) {
      yield n % (2 * opts.malformedEvery) === 0 ? `${line.slice(0, 40)}\n` : `${line.replace(/"status":\d+/, '"status":"ok"')}\n`;
    } else yield `${line}\n`;
  }
}

/** The log in pieces of about 1 MB, the way a file stream hands it out. */
export function* generateChunks(opts: GenerateOptions): Generator<string> {
  let batch = '';
  for (const line of generateLines(opts)) {
    batch += line;
    if (batch.length < 1 << 20) continue;
    yield batch;
    batch = '';
  }
  if (batch) yield batch;
}

export async function writeLog(path: string, opts: GenerateOptions & { gzip?: boolean }): Promise<void> {
  const file = createWriteStream(path);
  const out = opts.gzip ? createGzip() : file;
  if (opts.gzip) out.pipe(file);
  for (const chunk of generateChunks(opts)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(file, 'close');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      lines: { type: 'string', default: '1000000' },
      out: { type: 'string', default: 'usage.jsonl' },
      seed: { type: 'string', default: '1' },
      start: { type: 'string', default: '2026-01-01' },
      days: { type: 'string', default: '20' },
      'malformed-every': { type: 'string', default: '0' },
      gzip: { type: 'boolean', default: false },
    },
  });
  await writeLog(values.out, {
    lines: Number(values.lines),
    seed: Number(values.seed),
    start: values.start,
    days: Number(values.days),
    malformedEvery: Number(values['malformed-every']),
    gzip: values.gzip,
  });
  process.stdout.write(`wrote ${values.lines} lines to ${values.out}\n`);
}
