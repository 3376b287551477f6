// Splitting a large file into ConfigMap parts: lossless, bounded, cut between resources, stable under small edits.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PART_MAX_BYTES, splitIntoConfigMaps, splitText } from './parts.ts';

type Route = { labels: Record<string, string>; name: string; targets: unknown[]; timeoutMs: number };

/** A config.json-shaped text: sorted keys, two-space indent, `n` resources of about 250 bytes, `change`d. */
function configText(n: number, change: (routes: Route[]) => void = () => {}): string {
  const routes = Array.from({ length: n }, (_, i) => ({
    labels: { team: `team-${i % 7}` },
    name: `route-${String(i).padStart(5, '0')}`,
    targets: [{ model: 'gpt-4o-mini', provider: `p-${i % 13}`, weight: 100 }],
    timeoutMs: 30_000,
  }));
  change(routes);
  return `${JSON.stringify({ gateway: { name: 'g' }, irVersion: 1, routes }, null, 2)}\n`;
}
const bytes = (s: string) => Buffer.byteLength(s);
const changedParts = (a: string[], b: string[]) => b.filter((part) => !a.includes(part)).length;

describe('splitText', () => {
  it('keeps a small text whole', () => {
    expect(splitText(configText(3))).toEqual([configText(3)]);
  });

  const big = configText(10_000);
  const parts = splitText(big);

  it('splits a large text into parts that concatenate back, each at most PART_MAX_BYTES, cut between resources', () => {
    expect(bytes(big)).toBeGreaterThan(4 * PART_MAX_BYTES);
    expect(parts.join('')).toBe(big);
    expect(parts.length).toBeGreaterThan(4);
    for (const part of parts) {
      expect(bytes(part)).toBeLessThanOrEqual(PART_MAX_BYTES);
      expect(part.endsWith('\n')).toBe(true);
    }
    // Each later part starts with a resource: an array item at the top level's depth.
    for (const part of parts.slice(1)) expect(part.startsWith('    {\n')).toBe(true);
    expect(splitText(big)).toEqual(parts);
  });

  it('rewrites one part or two, not every later one, when a resource changes, comes or goes', () => {
    const edited = splitText(configText(10_000, (routes) => void (routes[4000]!.timeoutMs = 45_000)));
    const grown = splitText(configText(10_000, (routes) => void (routes[100]!.labels.extra = 'x'.repeat(300))));
    const inserted = splitText(configText(10_000, (routes) => void routes.splice(2000, 0, { ...routes[2000]!, name: 'route-02000a' })));
    const removed = splitText(configText(10_000, (routes) => void routes.splice(70, 1)));
    expect(edited).toHaveLength(parts.length);
    expect(changedParts(parts, edited)).toBe(1);
    expect(changedParts(parts, grown)).toBeLessThanOrEqual(2);
    expect(changedParts(parts, inserted)).toBeLessThanOrEqual(2);
    expect(changedParts(parts, removed)).toBeLessThanOrEqual(2);
  });

  it('divides a block with no shallow line in it (a long block scalar) line by line', () => {
    const yaml = `key: |\n${'        deep line of a long block scalar\n'.repeat(60_000)}`;
    const yamlParts = splitText(yaml);
    expect(yamlParts.join('')).toBe(yaml);
    expect(Math.max(...yamlParts.map(bytes))).toBeLessThanOrEqual(PART_MAX_BYTES);
  });

  it('cuts a line longer than a part between characters', () => {
    const line = `  "${'é'.repeat(PART_MAX_BYTES / 2 + 10)}"\n`;
    const pieces = splitText(`[\n${line}]\n`);
    expect(pieces.join('')).toBe(`[\n${line}]\n`);
    expect(pieces.map(bytes)).toEqual([2, PART_MAX_BYTES - 1, bytes(line) - PART_MAX_BYTES + 1 + 2]);
  });
});

describe('splitIntoConfigMaps', () => {
  const text = configText(10_000);
  const split = splitIntoConfigMaps(text, { file: 'config.json', prefix: 'gw-config', metadata: (name) => ({ name, namespace: 'ns' }) });

  it('makes one ConfigMap per part, numbered, and an index in the order of the parts', () => {
    expect(split.indexKey).toBe('config.json.sha256');
    expect(split.parts.map((p) => p.configMap.metadata)).toEqual(
      split.parts.map((_, i) => ({ name: `gw-config-${String(i).padStart(3, '0')}`, namespace: 'ns' })),
    );
    expect(split.parts.map((p) => Object.keys(p.configMap.data!))).toEqual(split.parts.map((p) => [`config.json.part-${p.number}`]));
    expect(split.parts.map((p) => Object.values(p.configMap.data!)[0]).join('')).toBe(text);
    expect(split.index.split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(/^[0-9a-f]{64} {2}config\.json\.part-000$/),
      expect.stringMatching(/ {2}config\.json\.part-001$/),
    ]);
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'modelgate-parts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes an index that sha256sum -c checks', () => {
    for (const { configMap } of split.parts)
      for (const [key, part] of Object.entries(configMap.data!)) writeFileSync(path.join(dir, key), part);
    writeFileSync(path.join(dir, split.indexKey), split.index);
    expect(spawnSync('sha256sum', ['-c', '--quiet', split.indexKey], { cwd: dir, encoding: 'utf8' })).toMatchObject({
      status: 0,
      stdout: '',
    });
    writeFileSync(path.join(dir, 'config.json.part-001'), 'torn');
    expect(spawnSync('sha256sum', ['-c', '--quiet', split.indexKey], { cwd: dir, encoding: 'utf8' })).toMatchObject({
      status: 1,
      stdout: 'config.json.part-001: FAILED\n',
    });
  });
});
