// Drives a provider adapter's stream translator as the gateway does, bytes in chunks of a chosen size, and reads
// back what it wrote: the tests of every translated provider check the same chunk sequence this way.
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
