// A response guard on a stream passed through as bytes reads the text deltas off the events the relay sends: a
// planted match is caught wherever the events and the socket reads cut it (inside an event, inside a character),
// before the read that completes it is sent, and texts with escapes, quotes or `"usage"` in them pass unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutReads, cutsArb, offlineOpenAI } from '../../test/support/stream-translation.ts';
import type { IRGuardrail, IRGuardrailCheck } from '../../compiler/ir/types.ts';
import { GatewayError } from '../errors.ts';
import { openAIAdapter } from '../providers/openai.ts';
import { createChecker } from './checkers.ts';
import { Guards } from './guards.ts';
import type { GuardedCall } from './run.ts';

const provider = offlineOpenAI;
const adapter = openAIAdapter(provider, 'k');
const call: GuardedCall = { api: { name: 'chat' }, verdict() {} };
const ir: IRGuardrail = {
  name: 'pii',
  labels: {},
  stage: 'response',
  action: 'block',
  timeoutMs: 1000,
  onError: 'deny',
  check: { type: 'pii', detectors: ['email'], patterns: [] } as unknown as IRGuardrailCheck,
};
const guards = new Guards([{ ir, checker: createChecker(ir, () => '') }]);

const EMAIL = 'jane.doe@example.com';
/** Texts without an address in them, the awkward ones often. */
const cleanArb = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }).filter((t) => !t.includes('@')),
  fc.constantFrom('"usage":{"prompt_tokens":1}', '\\"', 'é😀', ' \n ', 'data: [DONE]'),
);

const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta: { content } }] })}\n\n`;
const wire = (texts: string[]) => Buffer.from(`${texts.map(chunk).join('')}data: [DONE]\n\n`);

/** The text deltas of events as a client reads them. */
function clientText(sent: Buffer): string {
  return sent
    .toString('utf8')
    .split('\n\n')
    .filter((e) => e.startsWith('data: {'))
    .map((e) => JSON.parse(e.slice(6)).choices[0].delta.content)
    .join('');
}

/** What the guarded stream sends for these reads, each checked before it goes as the relay does, and its refusal if it refused. */
function relay(chunks: Buffer[]): { sent: Buffer; refusal?: GatewayError } {
  const guard = guards.stream(call, adapter.chatStream(false, {} as never, provider.models[0]!))!;
  const stream = guard.translator;
  const out: Buffer[] = [];
  const send = (events: string | Buffer) => {
    guard.check(events);
    out.push(Buffer.from(events));
  };
  try {
    for (const c of chunks) send(stream.push(c));
    send(stream.end());
  } catch (err) {
    return { sent: Buffer.concat(out), refusal: err as GatewayError };
  }
  return { sent: Buffer.concat(out) };
}

describe('a response guard on a stream passed through', () => {
  it('lets clean texts through byte for byte, whatever they hold and however the reads cut them', () => {
    fc.assert(
      fc.property(fc.array(cleanArb, { maxLength: 8 }), cutsArb, (texts, cuts) => {
        const bytes = wire(texts);
        expect(relay(cutReads(bytes, cuts))).toEqual({ sent: bytes });
      }),
      { numRuns: 300, seed: 20 },
    );
  });

  it('blocks an address split across events and reads before the read that completes it is sent', () => {
    const plantedArb = fc.tuple(fc.array(cleanArb, { maxLength: 4 }), fc.array(fc.nat(EMAIL.length), { maxLength: 3 }), cutsArb);
    fc.assert(
      fc.property(plantedArb, ([before, splits, cuts]) => {
        const at = [...new Set([0, ...splits, EMAIL.length])].sort((a, b) => a - b);
        const parts = at.slice(1).map((end, i) => EMAIL.slice(at[i], end));
        const { sent, refusal } = relay(cutReads(wire([...before.map((t) => `${t} `), ...parts, ' thanks']), cuts));
        expect(refusal).toBeInstanceOf(GatewayError);
        expect(refusal?.code).toBe('guardrail_blocked');
        expect(clientText(sent)).not.toContain(EMAIL);
      }),
      { numRuns: 300, seed: 20 },
    );
  });
});
