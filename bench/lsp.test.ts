import { describe, expect, it } from 'vitest';
import { runLspBench } from './lsp.ts';

describe('bench/lsp', () => {
  it('times rounds that each parse only the edited file, and states the goal against their p95', () => {
    const lines: string[] = [];
    // The bench throws when an edit makes the workspace parse more than the edited file.
    const result = runLspBench({ resources: 100, edits: 3, scratch: 1, log: (line) => lines.push(line) });
    const rows = result.markdown.split('\n').filter((l) => l.startsWith('| 100 |'));
    expect(rows.map((r) => r.split(' | ')[2])).toEqual(['1', '3', '1']);
    expect(result.goals).toHaveLength(1);
    expect(result.goals[0]!.goal).toContain('≤ 100 ms p95');
    expect(result.goals[0]!.met).toBeTypeOf('boolean');
    expect(lines[0]).toMatch(/first round on 100 resources/);
  });
});
