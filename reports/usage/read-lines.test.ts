import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachLine } from './read-lines.ts';

async function linesOf(chunks: Buffer[]): Promise<[string, number][]> {
  const out: [string, number][] = [];
  await forEachLine(Readable.from(chunks), (line, n) => out.push([line, n]));
  return out;
}

describe('forEachLine', () => {
  it('yields the same lines as split, wherever the chunks are cut (multi-byte characters and CRLF too)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '€', '🚀', '"', ' ') }), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.boolean(),
        async (lines, cuts, crlf) => {
          const text = lines.join(crlf ? '\r\n' : '\n');
          const bytes = Buffer.from(text);
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...points].map((p, i, all) => bytes.subarray(p, all[i + 1] ?? bytes.length)).filter((c) => c.length);
          // A newline ends a line; it does not start an empty one.
          const expected = text.split(crlf ? '\r\n' : '\n');
          if (expected.at(-1) === '') expected.pop();
          expect((await linesOf(chunks)).map(([l]) => l)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('numbers lines from 1 and keeps a last line without a newline', async () => {
    expect(await linesOf([Buffer.from('a\nb'), Buffer.from('c\n\nd')])).toEqual([
      ['a', 1],
      ['bc', 2],
      ['', 3],
      ['d', 4],
    ]);
  });
});
