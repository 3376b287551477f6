// Where a `node --cpu-prof` profile spends its time, in the terminal: self time by function and by file.
// Usage: npx tsx bench/profile-summary.ts PROFILE.cpuprofile [--top 20]
import { readFileSync } from 'node:fs';
import { commandLine, count } from './lib/args.ts';
import { isMain } from './lib/cli.ts';
import { table } from './lib/markdown.ts';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  share: number;
  ms: number;
}

/** Self time summed by a key of each sampled node, largest first. */
export function selfTimes(profile: CpuProfile, keyOf: (node: ProfileNode) => string): SelfTime[] {
  const totalHits = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0);
  const msPerHit = totalHits > 0 ? (profile.endTime - profile.startTime) / 1000 / totalHits : 0;
  const hits = new Map<string, number>();
  for (const node of profile.nodes) {
    if (!node.hitCount) continue;
    const key = keyOf(node);
    hits.set(key, (hits.get(key) ?? 0) + node.hitCount);
  }
  return [...hits]
    .map(([name, h]) => ({ name, share: h / totalHits, ms: h * msPerHit }))
    .sort((a, b) => b.ms - a.ms || (a.name < b.name ? -1 : 1));
}

/** A file as a reader knows it: relative to node_modules or the repo, `(native)` for V8 and Node internals. */
export function fileOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName.startsWith('(') ? functionName : `(${functionName || 'native'})`;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts.slice(0, parts[0].startsWith('@') ? 2 : 1).join('/');
  }
  return url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '');
}

function functionOf(node: ProfileNode): string {
  const { functionName, lineNumber, url } = node.callFrame;
  return url ? `${functionName || '(anonymous)'} ${fileOf(node)}:${lineNumber + 1}` : fileOf(node);
}

if (isMain(import.meta.url)) {
  const { values, positional } = commandLine({
    script: 'bench/profile-summary.ts',
    summary: 'Where a `node --cpu-prof` profile spends its time: self time by file and by function.',
    positional: { name: 'PROFILE.cpuprofile', description: 'the profile to read' },
    options: { top: count(20, 'rows per table') },
  });
  const profile = JSON.parse(readFileSync(positional!, 'utf8')) as CpuProfile;
  const top = values.top;
  const rows = (list: SelfTime[]) => list.slice(0, top).map((s) => [s.name, `${(s.share * 100).toFixed(1)} %`, `${s.ms.toFixed(0)} ms`]);
  process.stdout.write(`## Self time by package or file\n\n${table(['file', 'share', 'self time'], rows(selfTimes(profile, fileOf)))}\n\n`);
  process.stdout.write(`## Self time by function\n\n${table(['function', 'share', 'self time'], rows(selfTimes(profile, functionOf)))}\n`);
}
