// Describes the machine a run happened on: RESULTS.md numbers mean nothing without it.
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';

export interface Machine {
  node: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  /** 1-minute load average, sampled when asked. */
  load: number;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function describeMachine(): Machine {
  return {
    node: process.version,
    cpu: cpuModel(),
    cores: availableParallelism(),
    memoryGb: Math.round(totalmem() / 2 ** 30),
    load: loadavg()[0],
  };
}

export function currentLoad(): number {
  return loadavg()[0];
}

/** The load a bench ran under, for its report: the 1-minute load average when it started and now, and the cores. */
export function loadSince(loadAtStart: number): string {
  return `1-minute load average ${loadAtStart.toFixed(1)} at the start, ${currentLoad().toFixed(1)} at the end (${availableParallelism()} cores).`;
}
