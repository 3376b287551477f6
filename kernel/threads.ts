// How many threads a CLI stage may use: MODELGATE_THREADS when set, else every core for work large enough to pay
// for starting workers, else one. Parsing and target builds share the rule so that one setting governs both.
import { availableParallelism } from 'node:os';

/** `size` is the work's measure, `minParallel` the size below which one thread is faster. */
export function threadCount(size: number, minParallel: number): number {
  const configured = Number(process.env.MODELGATE_THREADS);
  if (Number.isInteger(configured) && configured > 0) return configured;
  return size < minParallel ? 1 : availableParallelism();
}
