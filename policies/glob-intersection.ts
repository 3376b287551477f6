// Whether two alias patterns (`*` and `?` globs, kernel/model-glob.ts) can match the same model id, with the
// shortest such id as evidence. Exact, not a heuristic: a glob is an automaton whose states are the positions in
// the pattern (a `*` loops on any character), so two patterns share an id exactly when the product automaton
// reaches (end, end). The search visits each pair of positions at most once: (|a|+1)·(|b|+1) states.

/** Stands for a character neither pattern fixes (both are at a `*` or `?`). */
const FILLER = 'x';

/** The shortest id both patterns match, or undefined when they share none. */
export function commonMatch(a: string, b: string): string | undefined {
  const width = b.length + 1;
  const size = (a.length + 1) * width;
  const end = size - 1;
  const dist = new Int32Array(size).fill(0x7fffffff);
  const from = new Int32Array(size).fill(-1);
  const via = new Array<string>(size);
  const done = new Uint8Array(size);
  // 0-1 breadth-first search: skipping a `*` costs no character, consuming one costs one. States leave in order
  // of distance (the free moves of a level before the next level), so the end state's path is a shortest id.
  const level: number[] = [];
  const queue: number[] = [0];
  dist[0] = 0;
  const relax = (next: number, prev: number, char: string) => {
    const d = dist[prev]! + (char === '' ? 0 : 1);
    if (d >= dist[next]!) return;
    dist[next] = d;
    from[next] = prev;
    via[next] = char;
    (char === '' ? level : queue).push(next);
  };
  let head = 0;
  while (level.length > 0 || head < queue.length) {
    const state = level.length > 0 ? level.pop()! : queue[head++]!;
    if (done[state]) continue;
    done[state] = 1;
    if (state === end) return spell(from, via, end);
    const i = Math.floor(state / width);
    const j = state % width;
    const x = a[i];
    const y = b[j];
    if (x === '*') relax(state + width, state, '');
    if (y === '*') relax(state + 1, state, '');
    if (x === undefined || y === undefined) continue;
    const wildX = x === '*' || x === '?';
    const wildY = y === '*' || y === '?';
    if (!wildX && !wildY && x !== y) continue;
    const char = !wildX ? x : !wildY ? y : FILLER;
    relax((x === '*' ? i : i + 1) * width + (y === '*' ? j : j + 1), state, char);
  }
  return undefined;
}

function spell(from: Int32Array, via: string[], end: number): string {
  const chars: string[] = [];
  for (let s = end; from[s]! >= 0; s = from[s]!) chars.push(via[s]!);
  return chars.reverse().join('');
}
