// `deny` conditions of Policy documents: a path into the resource (`spec.targets[*].provider`) and an operator.
import { isDeepStrictEqual } from 'node:util';
import type { DocPath } from '../../kernel/resource.ts';
import type { PolicyCondition } from '../../schema/types.ts';
import { durationMs } from '../../kernel/duration.ts';
import { checkSafeRegex } from '../../kernel/safe-regex.ts';

/** `[*]`: every element of a list, or every value of a mapping. */
const ANY = Symbol('any');
type Step = string | number | typeof ANY;

/** A node a path reaches: its value, or where it would be when missing. */
export interface PathNode {
  path: DocPath;
  exists: boolean;
  value?: unknown;
}

export interface CompiledCondition {
  /** The nodes at which the condition holds (empty: it does not hold). */
  holdsAt(document: unknown): PathNode[];
  /** `spec.timeout NotExists`, for reports. */
  describe: string;
}

/** Parses the path and checks the operator's value once; returns the reason when the condition is malformed. */
export function compileCondition(condition: PolicyCondition): CompiledCondition | string {
  const steps = parsePath(condition.path);
  if (typeof steps === 'string') return steps;
  const test = compileOperator(condition.operator, condition.value as unknown);
  if (typeof test === 'string') return test;
  const shown = condition.value === undefined ? '' : ` ${JSON.stringify(condition.value)}`;
  return {
    describe: `${condition.path} ${condition.operator}${shown}`,
    holdsAt: (document) => [...walk(document, steps, 0, [])].filter((n) => test(n)),
  };
}

/** `spec.targets[*].provider`, `spec.targets[0]`, `metadata.labels["app.kubernetes.io/name"]`. */
function parsePath(text: string): Step[] | string {
  const steps: Step[] = [];
  const token = /(?:^|\.)([^.[\]"]+)|\[(\*|\d+|"[^"]*")\]/y;
  while (token.lastIndex < text.length) {
    const at = token.lastIndex;
    const m = token.exec(text);
    if (!m) return `the path \`${text}\` cannot be read at character ${at + 1}; write it as \`spec.targets[*].provider\`.`;
    const bracket = m[2];
    steps.push(m[1] ?? (bracket === '*' ? ANY : bracket!.startsWith('"') ? bracket!.slice(1, -1) : Number(bracket)));
  }
  return steps;
}

function* walk(node: unknown, steps: readonly Step[], i: number, path: DocPath): Generator<PathNode> {
  if (i === steps.length) {
    yield { path, exists: true, value: node };
    return;
  }
  const step = steps[i]!;
  if (step === ANY) {
    if (Array.isArray(node)) for (let k = 0; k < node.length; k++) yield* walk(node[k], steps, i + 1, [...path, k]);
    else if (isRecord(node)) for (const k of Object.keys(node)) yield* walk(node[k], steps, i + 1, [...path, k]);
    return;
  }
  const child =
    typeof step === 'number'
      ? Array.isArray(node) && step < node.length
        ? { value: node[step] }
        : undefined
      : isRecord(node) && Object.hasOwn(node, step)
        ? { value: node[step] }
        : undefined;
  if (child) yield* walk(child.value, steps, i + 1, [...path, step]);
  else yield { path: [...path, step], exists: false };
}

type Test = (node: PathNode) => boolean;

/** A missing value satisfies only `NotExists`: a condition about a value never holds when there is none. */
function compileOperator(operator: PolicyCondition['operator'], expected: unknown): Test | string {
  const present =
    (f: (v: unknown) => boolean): Test =>
    (n) =>
      n.exists && f(n.value);
  switch (operator) {
    case 'Exists':
      return (n) => n.exists;
    case 'NotExists':
      return (n) => !n.exists;
    case 'Equals':
    case 'NotEquals': {
      if (expected === undefined) return `\`${operator}\` needs a \`value\`.`;
      const equal = operator === 'Equals';
      return present((v) => isDeepStrictEqual(v, expected) === equal);
    }
    case 'In':
    case 'NotIn': {
      if (!Array.isArray(expected)) return `\`${operator}\` needs a list as its \`value\`.`;
      const inside = operator === 'In';
      return present((v) => expected.some((e) => isDeepStrictEqual(v, e)) === inside);
    }
    case 'GreaterThan':
    case 'LessThan': {
      const bound = comparable(expected);
      if (bound === undefined) return `\`${operator}\` needs a number or a duration (\`30s\`) as its \`value\`.`;
      const greater = operator === 'GreaterThan';
      return present((v) => {
        const actual = comparable(v);
        return actual !== undefined && (greater ? actual > bound : actual < bound);
      });
    }
    case 'LengthGreaterThan':
    case 'LengthLessThan': {
      if (typeof expected !== 'number' || !Number.isInteger(expected) || expected < 0) {
        return `\`${operator}\` needs a whole number as its \`value\`.`;
      }
      const greater = operator === 'LengthGreaterThan';
      return present((v) => {
        const size = lengthOf(v);
        return size !== undefined && (greater ? size > expected : size < expected);
      });
    }
    case 'Matches': {
      if (typeof expected !== 'string') return '`Matches` needs a regular expression as its `value`.';
      const unsafe = checkSafeRegex(expected);
      if (unsafe) return `The \`Matches\` pattern is refused: ${unsafe}.`;
      const re = new RegExp(expected);
      return present((v) => typeof v === 'string' && re.test(v));
    }
  }
}

/** Numbers as they are; durations (`30s`) in milliseconds, so timeouts compare with `GreaterThan: 30s`. */
function comparable(v: unknown): number | undefined {
  return typeof v === 'number' ? v : durationMs(v);
}

function lengthOf(v: unknown): number | undefined {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  return isRecord(v) ? Object.keys(v).length : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
