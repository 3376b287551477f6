// The incremental engine re-runs a check over what an edit reaches, by its declared reads, and its findings are
// those of a run over every resource.
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../kernel/diagnostics.ts';
import type { IncrementalCheck, Reads } from '../kernel/reads.ts';
import type { AnyResource } from '../kernel/resource.ts';
import type { Kind } from '../schema/kinds.ts';
import { CheckCache } from './incremental-checks.ts';

function resource(kind: Kind, name: string, spec: object = {}): AnyResource {
  const file = `${kind}.yaml`;
  return {
    kind,
    name,
    id: `${kind}/${name}`,
    value: { apiVersion: 'modelgate.dev/v1', kind, metadata: { name }, spec },
    file,
    docIndex: 0,
    locate: () => ({ file, line: 1, column: 1, endLine: 1, endColumn: 1 }),
  } as unknown as AnyResource;
}

/**
 * A check that reports on each resource (of `on`) what it reads, as declared: the content of `kinds`, the parts of
 * `parts`, the names of `names` (from every resource of the round, as the reference check reads them). It records
 * the scope of each run.
 */
function seeing(reads: Reads, round: () => readonly AnyResource[]): IncrementalCheck & { scopes: string[][] } {
  const scopes: string[][] = [];
  const { kinds, parts = {}, names = [], on } = reads;
  return {
    id: 'seeing',
    reads,
    scopes,
    run(scope) {
      scopes.push(scope.map((r) => r.id));
      const part = (r: AnyResource) => (parts[r.kind] as ((r: AnyResource) => unknown) | undefined)?.(r);
      const seen = [
        ...scope.filter((r) => kinds === 'all' || kinds.includes(r.kind)).map((r) => JSON.stringify(r.value)),
        ...scope.filter((r) => r.kind in parts).map((r) => JSON.stringify(part(r))),
        ...round()
          .filter((r) => names.includes(r.kind))
          .map((r) => r.name),
      ].join(',');
      return scope
        .filter((r) => !on || on.includes(r.kind))
        .map(
          (r): Diagnostic => ({
            ruleId: 'reference',
            severity: 'error',
            message: `${r.id} ${JSON.stringify(r.value.spec)} sees ${seen}`,
            resource: r.id,
            ...r.locate([]),
          }),
        );
    },
  };
}

const sorted = (found: Diagnostic[]) => found.map((d) => d.message).sort();

/** What tells resources apart across processes in these tests: their content. */
const byContent = (r: AnyResource) => JSON.stringify([r.id, r.value]);

/**
 * The rounds' findings after each list of resources, checked against a run over every resource; the same rounds
 * through an engine persisted after each round and started again from it (v8-serialized, as plan's cache keeps
 * it) must run the same scopes and find the same.
 */
function rounds(reads: Reads, lists: AnyResource[][]): { scopes: string[][]; fullRuns: number[] } {
  const live = new CheckCache();
  let persisted = new CheckCache({ identify: byContent });
  let current: AnyResource[] = [];
  const check = seeing(reads, () => current);
  const again = seeing(reads, () => current);
  const fullRuns: number[] = [];
  for (const list of lists) {
    current = list;
    const [found] = live.round(list, [], [check]);
    fullRuns.push(live.fullRunsLastRound);
    expect(sorted(found!)).toEqual(sorted(seeing(reads, () => list).run(list)));
    const [restored] = persisted.round(list, [], [again]);
    expect(persisted.fullRunsLastRound).toBe(live.fullRunsLastRound);
    expect(sorted(restored!)).toEqual(sorted(found!));
    persisted = new CheckCache({ identify: byContent, from: deserialize(serialize(persisted.snapshot())) });
  }
  expect(again.scopes).toEqual(check.scopes);
  return { scopes: check.scopes.slice(1), fullRuns };
}

const openai = resource('Provider', 'openai');
const chat = resource('Route', 'chat', { model: 'a' });
const code = resource('Route', 'code', { model: 'a' });
const alice = resource('Consumer', 'alice');

describe('the incremental engine', () => {
  it('re-checks only the changed resource of a check that reads nothing else, and lets a removed one go', () => {
    const chat2 = resource('Route', 'chat', { model: 'b' });
    const { scopes, fullRuns } = rounds({ kinds: [] }, [
      [openai, chat, code],
      [openai, chat2, code],
      [openai, chat2],
    ]);
    expect(fullRuns).toEqual([1, 0, 0]);
    expect(scopes).toEqual([['Route/chat'], []]);
  });

  it('re-checks everything when a resource of a kind it reads changes, only the changed one otherwise', () => {
    const openai2 = resource('Provider', 'openai', { model: 'x' });
    const alice2 = resource('Consumer', 'alice', { x: 1 });
    const reads: Reads = { kinds: ['Provider'] };
    const { scopes, fullRuns } = rounds(reads, [
      [openai, chat, alice],
      [openai, chat, alice2],
      [openai2, chat, alice2],
    ]);
    expect(fullRuns).toEqual([1, 0, 1]);
    expect(scopes[0]).toEqual(['Consumer/alice', 'Provider/openai']);
  });

  it('re-checks everything when a name it reads is added, removed or renamed, not when such a resource changes otherwise', () => {
    const reads: Reads = { kinds: [], names: ['Route'] };
    const chat2 = resource('Route', 'chat', { model: 'b' });
    const renamed = resource('Route', 'chats', { model: 'b' });
    const { fullRuns } = rounds(reads, [[chat, code], [chat2, code], [renamed, code], [renamed], [renamed, chat]]);
    expect(fullRuns).toEqual([1, 0, 1, 1, 1]);
  });

  it('re-checks everything when the part it reads of a kind changes, only the changed resource otherwise', () => {
    const reads: Reads = { kinds: [], parts: { Route: (route) => route.name } };
    const chat2 = resource('Route', 'chat', { model: 'b' });
    const renamed = resource('Route', 'chat-b', { model: 'b' });
    const { scopes, fullRuns } = rounds(reads, [
      [openai, chat, code],
      [openai, chat2, code],
      [openai, renamed, code],
    ]);
    expect(fullRuns).toEqual([1, 0, 1]);
    // The changed route, once, among the routes the check reads a part of.
    expect(scopes[0]).toEqual(['Route/chat', 'Route/code']);
  });

  it('does not run a check for changes to kinds it does not report on', () => {
    const alice2 = resource('Consumer', 'alice', { x: 1 });
    const chat2 = resource('Route', 'chat', { model: 'b' });
    const { scopes, fullRuns } = rounds({ kinds: [], on: ['Route'] }, [
      [chat, alice],
      [chat, alice2],
      [chat2, alice2],
    ]);
    expect(fullRuns).toEqual([1, 0, 0]);
    expect(scopes).toEqual([['Route/chat']]);
  });

  it("runs a check afresh under another key (its rule level, the environment it reads), the others' findings kept", () => {
    const cache = new CheckCache();
    const check = seeing({ kinds: [] }, () => [chat]);
    const other = { ...seeing({ kinds: [] }, () => [chat]), id: 'other' };
    cache.round([chat], [], [{ ...check, key: 'warning' }, other]);
    cache.round([chat], [], [{ ...check, key: 'warning' }, other]);
    expect(cache.fullRunsLastRound).toBe(0);
    cache.round([chat], [], [{ ...check, key: 'error' }, other]);
    expect(cache.fullRunsLastRound).toBe(1);
    expect(check.scopes).toEqual([['Route/chat'], ['Route/chat']]);
  });

  it('runs a check afresh when it comes back after a round without it (a rule off in one environment)', () => {
    const chat2 = resource('Route', 'chat', { model: 'b' });
    const cache = new CheckCache();
    const check = seeing({ kinds: [] }, () => []);
    cache.round([chat], [], [check]);
    cache.round([chat2], [], []);
    const [found] = cache.round([chat2], [], [check]);
    expect(cache.fullRunsLastRound).toBe(1);
    expect(sorted(found!)).toEqual(sorted(check.run([chat2])));
  });
});
