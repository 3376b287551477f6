// The engine's states in the cache: the closest one is handed out, the same one is never written twice, a few are
// kept per scope, and neither another scope nor another version of the code reads them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import type { CheckSnapshot } from '../../pipeline/incremental-checks.ts';
import { checkStates } from './check-states.ts';
import { openStore } from './store.ts';

/** A state of Route resources with these keys, each with one finding that names its key. */
function state(keys: string[]): CheckSnapshot {
  const ids = keys.map((k) => `Route/${k}`);
  const finding = (k: string): Diagnostic => ({
    ruleId: 'reference',
    severity: 'error',
    message: k,
    file: 'r.yaml',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
  });
  return {
    byKind: [['Route', keys, ids]],
    declared: [],
    parts: [],
    findings: [['reference', '', keys.map((k, i) => [ids[i]!, [finding(k)]])]],
  };
}

const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(8, '0')}`);

describe('check states in the cache', () => {
  it('hands out the state closest to the resources asked for, and writes a state it holds already no more', () => {
    const store = openStore(mkdtempSync(join(tmpdir(), 'mg-checks-')));
    const states = checkStates(store, 'code-a');
    const [a, b] = [keys('a', 20), keys('b', 20)];
    states.save('prod', state(a));
    states.save('prod', state(b));
    expect(states.load('prod', [...a.slice(1), 'new0000000'])).toEqual(state(a));
    expect(states.load('prod', b.slice(0, 15))).toEqual(state(b));
    const written = store.written;
    states.save('prod', state(a));
    expect(store.written).toBe(written);
  });

  it('keeps the last four states of a scope; another scope or another version of the code reads none', () => {
    const store = openStore(mkdtempSync(join(tmpdir(), 'mg-checks-')));
    const states = checkStates(store, 'code-a');
    const lists = ['a', 'b', 'c', 'd', 'e'].map((p) => keys(p, 10));
    for (const list of lists) states.save('prod', state(list));
    expect(states.load('prod', lists[0]!)).not.toEqual(state(lists[0]!));
    for (const list of lists.slice(1)) expect(states.load('prod', list)).toEqual(state(list));
    expect(states.load('staging', lists[4]!)).toBeUndefined();
    expect(checkStates(store, 'code-b').load('prod', lists[4]!)).toBeUndefined();
  });
});
