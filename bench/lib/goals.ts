// The goals, each checked against what a run measured; unmeasured goals stay open, not failed.
import { table } from './markdown.ts';

export interface Goal {
  goal: string;
  measured: string;
  /** undefined when the run could not measure it. */
  met: boolean | undefined;
}

export function goal(text: string, measured: string, value: number, isMet: (value: number) => boolean): Goal {
  return { goal: text, measured, met: Number.isFinite(value) ? isMet(value) : undefined };
}

export function goalsTable(goals: readonly Goal[]): string {
  const verdict = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? 'met' : '**not met**');
  return table(
    ['goal', 'measured', 'verdict'],
    goals.map((g) => [g.goal, g.measured, verdict(g.met)]),
  );
}
