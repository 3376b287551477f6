import { describe, expect, it } from 'vitest';
import { doc, findingsAcross } from '../../test/support/policy-resources.ts';
import { routeAliasShadowsRoute } from './route-alias-shadows-route.ts';

const route = (name: string, aliases = '[]') => doc('Route', name, `aliases: ${aliases}\ntargets: [{provider: p, model: m}]`);
const shown = (...files: string[]) => findingsAcross(routeAliasShadowsRoute, files).map((f) => `${f.file}:${f.line} ${f.at} ${f.message}`);

describe('route-alias-shadows-route', () => {
  it('accepts aliases that name no other route (its own name is harmless)', () => {
    expect(shown(route('chat-premium', '[claude-sonnet-*, chat-premium]'), route('chat-default', '[gpt-4o]'))).toEqual([]);
  });

  it('flags an alias equal to another route\'s name, at the alias, naming that route', () => {
    expect(shown(route('chat-premium', '[gpt-5, chat-default]'), route('chat-default'))).toEqual([
      'file0.yaml:8 spec.aliases[1] Alias `chat-default` of route chat-premium is the name of route chat-default (file1.yaml:5): requests for `chat-default` go to that route, never through this alias.',
    ]);
  });

  it('flags a pattern matching another route\'s name', () => {
    expect(shown(route('chat-default'), route('legacy', '["chat-*"]'))).toEqual([
      'file1.yaml:8 spec.aliases[0] Alias `chat-*` of route legacy matches the name of route chat-default (file0.yaml:5): requests for `chat-default` go to that route, never through this alias.',
    ]);
  });
});
