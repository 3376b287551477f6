// Property: promote's overlay edit keeps every byte of the file outside the values it changes. Over generated
// overlays (block and flow items, trailing comments after any number of spaces, comment and blank lines
// between items, CRLF or LF, content after the patches) and generated pins, the output is the input with
// the changed values replaced and new text only added: a character diff against that has no removal.
import { diffChars } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyPins } from './overlay-edit.ts';
import type { Pin } from './pins.ts';

interface GenItem {
  flow: boolean;
  weight: number | undefined;
  weightFirst: boolean;
  comment: string | undefined;
  spaces: number;
  before: 'none' | 'blank' | 'comment';
}

interface Overlay {
  text: string;
  /** Offsets of each item's weight scalar in `text`, by item index (undefined: the item has none). */
  weights: ({ start: number; end: number } | undefined)[];
  /** The same for the version scalar of the provider model, quoted in the file. */
  version: { start: number; end: number; quote: string };
}

const item = fc.record({
  flow: fc.boolean(),
  weight: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  weightFirst: fc.boolean(),
  comment: fc.option(fc.constantFrom('# canary', '#x', '# keep: 90 / 10', '#  weight: 3'), { nil: undefined }),
  spaces: fc.integer({ min: 1, max: 5 }),
  before: fc.constantFrom('none', 'blank', 'comment'),
});

function overlay(items: GenItem[], crlf: boolean, tail: boolean, quote: string): Overlay {
  let text = '';
  const weights: Overlay['weights'] = [];
  const add = (s: string) => (text += s);
  /** Appends a weight scalar and records where it is. */
  const value = (w: number) => {
    const start = text.length;
    add(String(w));
    return { start, end: text.length };
  };
  add(
    '# Production overlay: edited by people and by modelgate promote.\napiVersion: modelgate.dev/v1\nkind: Environment\nmetadata:\n  name: prod\nspec:\n  patches:\n',
  );
  add('    - target: { kind: Route, name: chat }   # the canary\n      patch:\n        spec:\n          targets:\n');
  items.forEach((it, i) => {
    if (it.before === 'blank') add('\n');
    if (it.before === 'comment') add('            # a note about the next target\n');
    const comment = it.comment ? `${' '.repeat(it.spaces)}${it.comment}` : '';
    let at: { start: number; end: number } | undefined;
    const weight = (prefix: string, suffix: string) => {
      add(`${prefix}weight: `);
      at = value(it.weight!);
      add(suffix);
    };
    if (it.flow) {
      add(`            - { provider: p${i}, `);
      if (it.weight !== undefined && it.weightFirst) weight('', ', ');
      add(`model: m${i}`);
      if (it.weight !== undefined && !it.weightFirst) weight(', ', '');
      add(` }${comment}\n`);
    } else {
      add(`            - provider: p${i}\n`);
      if (it.weight !== undefined && it.weightFirst) weight('              ', `${comment}\n`);
      add(`              model: m${i}${it.weight === undefined ? comment : ''}\n`);
      if (it.weight !== undefined && !it.weightFirst) weight('              ', `${comment}\n`);
    }
    weights.push(at);
  });
  add(
    '    - target: { kind: Provider, name: openai }\n      patch:\n        spec:\n          models:\n            - name: mini\n              version: ',
  );
  const start = text.length;
  add(`${quote}2024-07-18${quote}`);
  const version = { start, end: text.length, quote };
  add('    # pinned in March\n');
  if (tail) add('  variables:\n    CLUSTER: prod-eu1   # the EU cluster\n');
  if (!crlf) return { text, weights, version };
  // Offsets move by one per line break before them.
  const shift = (o: number) => o + (text.slice(0, o).match(/\n/g)?.length ?? 0);
  const moved = (r: { start: number; end: number }) => ({ start: shift(r.start), end: shift(r.end) });
  return { text: text.replace(/\n/g, '\r\n'), weights: weights.map((w) => w && moved(w)), version: { ...moved(version), quote } };
}

/** The input with only the given value ranges replaced. */
function replaced(text: string, edits: { start: number; end: number; text: string }[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((out, e) => out.slice(0, e.start) + e.text + out.slice(e.end), text);
}

describe('applyPins keeps every byte outside the changed values', () => {
  it('over generated overlays with comments and generated pins', () => {
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 5 }),
        fc.array(fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }), { minLength: 5, maxLength: 5 }),
        fc.integer({ min: 0, max: 2 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('"', "'"),
        fc.boolean(),
        (items, newWeights, added, crlf, tail, quote, newRoute) => {
          const file = overlay(items, crlf, tail, quote);
          const edits: { start: number; end: number; text: string }[] = [];
          const targets: Pin['items'] = [];
          items.forEach((_it, i) => {
            const w = newWeights[i];
            if (w === undefined) return;
            targets.push({ list: 'targets', key: { provider: `p${i}`, model: `m${i}` }, set: { weight: w } });
            const at = file.weights[i];
            if (at) edits.push({ ...at, text: String(w) });
          });
          for (let j = 0; j < added; j++) targets.push({ list: 'targets', key: { provider: `new${j}`, model: 'n' }, set: { weight: 0 } });
          edits.push({ ...file.version, text: `${file.version.quote}2025-01-31${file.version.quote}` });
          const pins: Pin[] = [
            { kind: 'Route', name: 'chat', items: targets, values: [] },
            {
              kind: 'Provider',
              name: 'openai',
              items: [{ list: 'models', key: { name: 'mini' }, set: { version: '2025-01-31' } }],
              values: [],
            },
          ];
          if (newRoute)
            pins.push({
              kind: 'Route',
              name: 'summarize',
              items: [{ list: 'targets', key: { provider: 'a', model: 'b' }, set: { weight: 100 } }],
              values: [],
            });

          const out = applyPins(file.text, 'prod', pins);
          const expected = replaced(file.text, edits);
          const removed = diffChars(expected, out).filter((part) => part.removed);
          expect(removed, `${JSON.stringify(file.text)}\n=>\n${JSON.stringify(out)}`).toEqual([]);
          if (crlf) expect(out.replace(/\r\n/g, '')).not.toContain('\n');

          // And it says what the pins say.
          const patches = parse(out).spec.patches as {
            target: { name: string };
            patch: { spec: Record<string, { weight?: number; version?: string; provider?: string }[]> };
          }[];
          const chat = patches.find((p) => p.target.name === 'chat')!.patch.spec.targets!;
          for (const t of targets) expect(chat.find((c) => c.provider === t.key.provider)?.weight).toBe(t.set.weight);
          expect(chat).toHaveLength(items.length + added);
          expect(patches.find((p) => p.target.name === 'openai')!.patch.spec.models![0]!.version).toBe('2025-01-31');
          expect(patches.some((p) => p.target.name === 'summarize')).toBe(newRoute);
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 40) },
    );
  });

  it('keeps the spacing before a trailing comment', () => {
    const text =
      'kind: Environment\nmetadata: { name: prod }\nspec:\n  patches:\n    - target: { kind: Route, name: chat }\n      patch:\n        spec:\n          targets:\n            - provider: a\n              model: b\n              weight: 10   # canary\n';
    const pins: Pin[] = [
      { kind: 'Route', name: 'chat', items: [{ list: 'targets', key: { provider: 'a', model: 'b' }, set: { weight: 50 } }], values: [] },
    ];
    expect(applyPins(text, 'prod', pins)).toBe(text.replace('weight: 10   # canary', 'weight: 50   # canary'));
  });
});
