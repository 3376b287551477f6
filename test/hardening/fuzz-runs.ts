// How many cases a property runs: a quick fixed-seed sample in `npm run test:hardening`; `FUZZ_RUNS` scales every
// property for the long runs of `npm run fuzz`, with a fresh seed unless `FUZZ_SEED` pins one.
import type { Parameters } from 'fast-check';

const LONG_RUNS = Number(process.env.FUZZ_RUNS ?? 0);
const QUICK_SEED = 20_250_607;

/** `quick` cases normally; under `npm run fuzz`, `share` of FUZZ_RUNS (but never fewer than `quick`). */
export function fuzzParameters<T>(quick: number, share = 1): Parameters<T> {
  if (!LONG_RUNS) return { numRuns: quick, seed: QUICK_SEED };
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
  return { numRuns: Math.max(quick, Math.round(LONG_RUNS * share)), ...(seed === undefined ? {} : { seed }) };
}

export const LONG_FUZZ = LONG_RUNS > 0;

/** Per-property timeout: generous for a busy CI machine; none for the long runs. */
export const PROPERTY_TIMEOUT_MS = LONG_FUZZ ? 0 : 120_000;
