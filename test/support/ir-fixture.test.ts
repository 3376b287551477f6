import { describe, expect, it } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import type { MockUpstream } from '../mock-providers/index.ts';
import { gatewayIR, sampleIR, smallIR, testIR } from './ir-fixture.ts';

const upstream = { baseUrl: 'http://127.0.0.1:1/v1', origin: 'http://127.0.0.1:1' } as MockUpstream;

/** Every object and array reachable from `value`, with repeats. */
function* nodes(value: unknown): Generator<object> {
  if (value === null || typeof value !== 'object') return;
  yield value;
  for (const child of Object.values(value)) yield* nodes(child);
}

describe('ir-fixture', () => {
  // Tests edit what they are given (a label of 1 MB, a route's timeout): no edit may reach another IR or resource.
  it.each<[string, () => IR]>([
    ['testIR', () => testIR()],
    ['sampleIR', sampleIR],
    ['smallIR', smallIR],
    ['gatewayIR', () => gatewayIR(upstream, upstream)],
  ])('%s shares no object with another call, nor between two of its own nodes', (_, make) => {
    const seen = new Set<object>();
    for (const node of [...nodes(make()), ...nodes(make())]) {
      expect(seen.has(node)).toBe(false);
      seen.add(node);
    }
  });
});
