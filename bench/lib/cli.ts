// Small helpers the bench entry points share.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** True when the module at `moduleUrl` is the script node was started with (not an import). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(realpathSync(entry)).href === moduleUrl;
}

/** The repo sizes given as arguments (`npx tsx bench/x.ts 1000 10000`), else `defaults`. */
export function sizesFromArgs(defaults: readonly number[]): readonly number[] {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  return sizes.length ? sizes : defaults;
}

/** CPU milliseconds this process spent in `fn`: on a shared machine wall time mostly measures the neighbours. */
export function cpuMsOf(fn: () => unknown): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
