import { describe, expect, it } from 'vitest';
import { testRoute } from '../test/support/ir-fixture.ts';
import { createModelRoutes } from './model-routes.ts';

const routes = createModelRoutes([
  testRoute('chat-default', { aliases: { exact: ['gpt-4o'], patterns: ['gpt-4o-*'] } }),
  testRoute('chat-fast', { aliases: { exact: ['chat-default'], patterns: ['claude-*'] } }),
  testRoute('chat-premium', { aliases: { exact: ['claude-opus-4-1', 'gpt-4o'], patterns: ['claude-sonnet-*', 'claude-sonnet-4-5*'] } }),
]);
const served = (id: string) => routes.resolve(id)?.name;

describe('createModelRoutes', () => {
  it('looks a model up as a route name, then an exact alias, then the most specific matching pattern', () => {
    expect(served('chat-default')).toBe('chat-default'); // a name wins over chat-fast's alias of it
    expect(served('gpt-4o')).toBe('chat-default'); // two routes claim it (the lint rule says so): the first route by name
    expect(served('gpt-4o-2024-08-06')).toBe('chat-default');
    expect(served('claude-opus-4-1')).toBe('chat-premium');
    expect(served('claude-sonnet-4-5-20250929')).toBe('chat-premium'); // longer literal prefix than chat-fast's claude-*
    expect(served('claude-haiku-4-5')).toBe('chat-fast');
    expect(served('o3')).toBeUndefined();
  });

  it('lists the names and the exact aliases that lead to them, sorted, once per access list', () => {
    const names = Object.freeze(['chat-default', 'chat-fast']);
    expect(routes.listed(names)).toEqual(['chat-default', 'chat-fast', 'gpt-4o']);
    expect(routes.listed(names)).toBe(routes.listed(names));
    expect(routes.listed(['chat-premium'])).toEqual(['chat-premium', 'claude-opus-4-1']);
  });
});
