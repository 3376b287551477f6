// Artifact-level plan: the files each target emits for the base and for the head, compared file by file.
import { unifiedDiff } from './line-diff.ts';
import type { ArtifactChange } from './types.ts';

/** Target name -> (path under the target's output directory -> content). */
export type ArtifactSet = Record<string, Record<string, string>>;

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The text a reviewer diffs: JSON artifacts are emitted compact (one line), so they are shown indented, one
 * value per line, where a change is a line and not the whole file.
 */
export function readable(file: string, content: string | undefined): string {
  if (content === undefined) return '';
  if (!file.endsWith('.json')) return content;
  try {
    return `${JSON.stringify(JSON.parse(content), null, 2)}\n`;
  } catch {
    return content;
  }
}

export function diffArtifacts(base: ArtifactSet, head: ArtifactSet): ArtifactChange[] {
  const changes: ArtifactChange[] = [];
  const targets = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort(byName);
  for (const target of targets) {
    const before = base[target] ?? {};
    const after = head[target] ?? {};
    for (const file of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(byName)) {
      const old = before[file];
      const now = after[file];
      if (old === now) continue;
      const label = `${target}/${file}`;
      const action = old === undefined ? 'add' : now === undefined ? 'destroy' : 'change';
      const d = unifiedDiff(readable(file, old), readable(file, now), {
        from: old === undefined ? null : label,
        to: now === undefined ? null : label,
      });
      changes.push({ action, target, file, diff: d.text, added: d.added, removed: d.removed });
    }
  }
  return changes;
}
