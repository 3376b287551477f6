// Drives a provider adapter's stream translator as the gateway does, bytes in chunks of a chosen size, and reads
// back what it wrote: the tests of every translated provider check the same chunk sequence this way.
import fc from 'fast-check';
import type { IRProvider } from '../../compiler/ir/types.ts';
import type { OutgoingChat, StreamTranslator } from '../../gateway/providers/adapter.ts';
import { UpstreamFailure } from '../../gateway/providers/upstream-errors.ts';

/** An OpenAI chat request as an adapter receives it: non-streaming and uncapped unless `extra` says otherwise. */
export const chat = (body: Record<string, unknown>, extra: Partial<OutgoingChat> = {}): OutgoingChat => ({
  body,
  stream: false,
  includeUsage: false,
  maxTokens: undefined,
  ...extra,
});

/** The OpenAI SSE events a translator writes for `bytes` fed `chunkSize` at a time: parsed chunks, then `'[DONE]'`. */
export function translatedChunks(translator: StreamTranslator, bytes: Buffer, chunkSize: number): any[] {
  let text = '';
  for (let i = 0; i < bytes.length; i += chunkSize) text += translator.push(bytes.subarray(i, i + chunkSize));
  text += translator.end();
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((e) => e.slice('data: '.length))
    .map((d) => (d === '[DONE]' ? d : JSON.parse(d)));
}

/** The UpstreamFailure `f` throws (another error, or none, fails the test). */
export function failureOf(f: () => unknown): UpstreamFailure {
  try {
    f();
  } catch (err) {
    if (err instanceof UpstreamFailure) return err;
    throw err;
  }
  throw new Error('expected an UpstreamFailure, and nothing was thrown');
}

/** Where socket reads may cut a stream: fractions of its length, for `cutReads`. */
export const cutsArb = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });

/** `bytes` cut at `cuts` (fractions of their length): reads that split events and characters anywhere. */
export function cutReads(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const at = [...new Set(cuts.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  return [0, ...at].map((start, i) => bytes.subarray(start, at[i] ?? bytes.length)).filter((b) => b.length > 0);
}

/** An OpenAI-type provider with one model `m`, for translators driven in process (nothing is sent to it). */
export const offlineOpenAI = {
  name: 'p',
  type: 'openai',
  baseUrl: 'http://127.0.0.1:9/v1',
  headers: {},
  models: [{ name: 'm' }],
} as unknown as IRProvider;
