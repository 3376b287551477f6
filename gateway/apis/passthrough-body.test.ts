// A passthrough request goes out as the client's bytes with only the gateway's values spliced in: whatever the
// body holds (any keys, escapes, nesting, spacing), the provider reads exactly the client's body with those values,
// and every member the gateway does not set keeps the client's bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { valueRange } from './json-fields.ts';
import { passthroughBody, type RawRequest } from './passthrough.ts';

const SET = ['model', 'max_tokens', 'store', 'max_output_tokens', 'in"clude'] as const;

const bodyArb = fc.dictionary(
  fc.oneof(fc.string(), fc.constantFrom(...SET)).filter((k) => k !== '__proto__'),
  fc.jsonValue(),
  { minKeys: 1 },
);
const valuesArb = fc.dictionary(fc.constantFrom(...SET), fc.oneof(fc.jsonValue(), fc.constant(undefined)), { maxKeys: 4 });

function request(raw: string, edited = false): RawRequest {
  return { raw: Buffer.from(raw), body: JSON.parse(raw), stream: false, edited };
}

describe('passthroughBody', () => {
  it('sends the client body with the values set, the other members as their bytes came', () => {
    fc.assert(
      fc.property(bodyArb, valuesArb, fc.constantFrom(0, 1, 2), (body, values, indent) => {
        const raw = JSON.stringify(body, null, indent);
        const out = passthroughBody(request(raw), values);
        const sent = Buffer.isBuffer(out) ? out : Buffer.from(out);
        expect(JSON.parse(sent.toString('utf8'))).toEqual(JSON.parse(JSON.stringify({ ...body, ...values })));
        if (!Buffer.isBuffer(out)) return;
        const bytes = Buffer.from(raw);
        for (const key of Object.keys(body).filter((k) => !(k in values) && /^[a-z_]+$/.test(k))) {
          const [before, after] = [valueRange(bytes, 0, [key])!, valueRange(sent, 0, [key])!];
          expect(sent.toString('utf8', ...after)).toBe(bytes.toString('utf8', ...before));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('splices the bytes when it can, and re-encodes when they cannot say what is sent', () => {
    const raw = '{"model":"alias", "max_tokens":99,\n"messages":[{"role":"user","content":"hi \\"model\\""}]}';
    expect(passthroughBody(request(raw), { model: 'claude-x', max_tokens: 10, store: false }).toString()).toBe(
      '{"store":false,"model":"claude-x", "max_tokens":10,\n"messages":[{"role":"user","content":"hi \\"model\\""}]}',
    );
    // A key given twice, a key written with escapes, an edited body, a value to drop: the parsed body, re-encoded.
    expect(passthroughBody(request('{"model":"a","model":"b"}'), { model: 'm' })).toBe('{"model":"m"}');
    expect(passthroughBody(request('{"mod\\u0065l":"a","x":1}'), { model: 'm' })).toBe('{"model":"m","x":1}');
    expect(passthroughBody(request('{"model":"a","x":1}', true), { model: 'm' })).toBe('{"model":"m","x":1}');
    expect(passthroughBody(request('{"model":"a","x":1}'), { x: undefined })).toBe('{"model":"a"}');
  });
});
