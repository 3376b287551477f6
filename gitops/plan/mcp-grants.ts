// What a change to an access policy grants or withdraws on MCP servers, in the words a reviewer needs:
// "+ grants tool github/delete_issue to consumer support-bot". Field diffs say which line moved; these say what it means.
import type { AccessPolicy } from '../../schema/types.ts';

type Subjects = AccessPolicy['spec']['subjects'];

/** One line per tool pattern granted or withheld on one side only, `+` for the head's, `-` for the base's. */
export function mcpGrantEffects(before: unknown, after: unknown): string[] {
  const [was, now] = [entries(before), entries(after)];
  const lines: string[] = [];
  const compare = (kind: 'grants' | 'withholds', verb: [added: string, removed: string], preposition: string) => {
    for (const key of now[kind]) if (!was[kind].has(key)) lines.push(`+ ${verb[0]} tool ${key} ${preposition} ${now.to}`);
    for (const key of was[kind]) if (!now[kind].has(key)) lines.push(`- ${verb[1]} tool ${key} ${preposition} ${was.to}`);
  };
  compare('grants', ['grants', 'no longer grants'], 'to');
  compare('withholds', ['withholds', 'no longer withholds'], 'from');
  return lines;
}

function entries(value: unknown): { grants: Set<string>; withholds: Set<string>; to: string } {
  const spec = (value as AccessPolicy | undefined)?.spec;
  const grants = new Set<string>();
  const withholds = new Set<string>();
  for (const g of spec?.mcp?.servers ?? []) {
    for (const tool of g.tools ?? []) grants.add(`${g.name}/${tool}`);
    for (const tool of g.excludeTools ?? []) withholds.add(`${g.name}/${tool}`);
  }
  return { grants, withholds, to: subjectsOf(spec?.subjects) };
}

/** `consumer support-bot`, `consumers a, b and those labelled team=support`. */
export function subjectsOf(subjects: Subjects | undefined): string {
  const named = subjects?.consumers ?? [];
  const labels = Object.entries(subjects?.labels ?? {}).map(([k, v]) => `${k}=${v}`);
  const parts: string[] = [];
  if (named.length) parts.push(`${named.length === 1 ? 'consumer' : 'consumers'} ${named.join(', ')}`);
  if (labels.length) parts.push(`consumers labelled ${labels.join(', ')}`);
  return parts.join(' and ') || 'no consumer';
}
