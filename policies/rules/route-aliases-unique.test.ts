import { describe, expect, it } from 'vitest';
import { doc, findingsAcross } from '../../test/support/policy-resources.ts';
import { routeAliasesUnique } from './route-aliases-unique.ts';

const route = (name: string, aliases: string) => doc('Route', name, `aliases: ${aliases}\ntargets: [{provider: p, model: m}]`);
const shown = (...files: string[]) => findingsAcross(routeAliasesUnique, files).map((f) => `${f.file}:${f.line} ${f.at} ${f.message}`);

describe('route-aliases-unique', () => {
  it('accepts aliases no other route claims, and overlaps within one route', () => {
    expect(
      shown(
        route('premium', '[claude-sonnet-*, claude-sonnet-4-5, claude-opus-*]'),
        route('fast', '["claude-haiku-*", gpt-4o-mini]'),
        route('default', '[gpt-4o, "gpt-4o-2024-*", gpt-5-codex]'),
      ),
    ).toEqual([]);
  });

  it('flags an exact id two routes claim, at both, each naming the other', () => {
    expect(shown(route('premium', '[gpt-5, claude-opus-4-1]'), route('fast', '[gpt-5]'))).toEqual([
      'file0.yaml:8 spec.aliases[0] Alias `gpt-5` of route premium is also an alias of route fast (file1.yaml:8).',
      'file1.yaml:8 spec.aliases[0] Alias `gpt-5` of route fast is also an alias of route premium (file0.yaml:8).',
    ]);
  });

  it('flags an exact id another route\'s pattern matches, at both', () => {
    expect(shown(route('premium', '[claude-sonnet-*]'), route('fast', '[gpt-4o, claude-sonnet-4-5]'))).toEqual([
      'file1.yaml:8 spec.aliases[1] Alias `claude-sonnet-4-5` of route fast is matched by alias `claude-sonnet-*` of route premium (file0.yaml:8).',
      'file0.yaml:8 spec.aliases[0] Alias `claude-sonnet-*` of route premium matches alias `claude-sonnet-4-5` of route fast (file1.yaml:8).',
    ]);
  });

  it('flags two patterns that can match one id, quoting the shortest such id', () => {
    expect(shown(route('premium', '[claude-sonnet-*]'), route('fast', '["claude-*-4-5*", claude-opus-*]'))).toEqual([
      'file0.yaml:8 spec.aliases[0] Alias `claude-sonnet-*` of route premium and alias `claude-*-4-5*` of route fast (file1.yaml:8) both match `claude-sonnet-4-5`.',
      'file1.yaml:8 spec.aliases[0] Alias `claude-*-4-5*` of route fast and alias `claude-sonnet-*` of route premium (file0.yaml:8) both match `claude-sonnet-4-5`.',
    ]);
  });

  it('compares patterns with the same literal prefix once, and a catch-all with everything', () => {
    const found = shown(route('a', '["gpt-4?"]'), route('b', '["gpt-4*"]'), route('c', '["*"]'));
    expect(found.filter((f) => f.includes('route a and'))).toEqual([
      'file0.yaml:8 spec.aliases[0] Alias `gpt-4?` of route a and alias `*` of route c (file2.yaml:8) both match `gpt-4x`.',
      'file0.yaml:8 spec.aliases[0] Alias `gpt-4?` of route a and alias `gpt-4*` of route b (file1.yaml:8) both match `gpt-4x`.',
    ]);
    expect(found).toHaveLength(6);
  });
});
