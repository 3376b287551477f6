import { describe, expect, it } from 'vitest';
import { testConsumer, testIR, testPolicy, testPrompt, testRoute } from '../test/support/ir-fixture.ts';
import { createAccessControl } from './access.ts';

const chat = testRoute('chat', {
  targets: [
    { provider: 'openai', model: 'gpt-4o', weight: 70 },
    { provider: 'anthropic', model: 'claude-sonnet', weight: 30 },
  ],
  fallbacks: [
    { provider: 'openai', model: 'gpt-4o-mini' },
    { provider: 'anthropic', model: 'claude-sonnet' },
  ],
});
const embed = testRoute('embed', { type: 'embeddings', targets: [{ provider: 'openai', model: 'text-embedding-3-small', weight: 100 }] });
const internal = testRoute('internal');

const ir = testIR({
  routes: [chat, embed, internal],
  consumers: [testConsumer('alice'), testConsumer('bob'), testConsumer('carol')],
  accessPolicies: [
    // Deliberately not in name order: the access control sorts.
    testPolicy('z-wide', { consumers: ['alice', 'bob'], routes: ['chat', 'embed', 'internal'], prompts: ['summarise'] }),
    testPolicy('a-narrow', {
      consumers: ['alice'],
      routes: ['chat'],
      allowedModels: ['anthropic/claude-sonnet', 'openai/gpt-4o-mini'],
      limits: { requestsPerMinute: 10 },
    }),
    testPolicy('m-prompts', { consumers: ['carol'], prompts: ['summarise', 'translate'] }),
  ],
});
const access = createAccessControl(ir);

describe('createAccessControl', () => {
  it('grants routes and prompts only through a policy naming the consumer', () => {
    expect(access.authorizeRoute('bob', 'chat')?.name).toBe('z-wide');
    expect(access.authorizeRoute('carol', 'chat')).toBeUndefined();
    expect(access.authorizeRoute('mallory', 'chat')).toBeUndefined();
    expect(access.authorizeRoute('bob', 'no-such-route')).toBeUndefined();
    expect(access.authorizePrompt('carol', 'translate')?.name).toBe('m-prompts');
    expect(access.authorizePrompt('bob', 'translate')).toBeUndefined();
  });

  it('lets the first policy by name decide when several grant the same route', () => {
    expect(access.authorizeRoute('alice', 'chat')?.name).toBe('a-narrow');
    expect(access.authorizeRoute('alice', 'embed')?.name).toBe('z-wide');
    expect(access.policiesFor('alice').map((p) => p.name)).toEqual(['a-narrow', 'z-wide']);
    expect(access.policiesFor('nobody')).toEqual([]);
  });

  it('lists the routes a consumer may call, sorted', () => {
    expect(access.visibleRoutes('alice')).toEqual(['chat', 'embed', 'internal']);
    expect(access.visibleRoutes('carol')).toEqual([]);
  });

  it('keeps targets then fallbacks the policy allows, once each, with their weights', () => {
    const narrow = access.authorizeRoute('alice', 'chat')!;
    expect(access.allowedTargets(narrow, chat)).toEqual([
      { provider: 'anthropic', model: 'claude-sonnet', weight: 30 },
      { provider: 'openai', model: 'gpt-4o-mini' },
    ]);
    const wide = access.authorizeRoute('bob', 'chat')!;
    expect(access.allowedTargets(wide, chat).map((t) => `${t.provider}/${t.model}`)).toEqual([
      'openai/gpt-4o',
      'anthropic/claude-sonnet',
      'openai/gpt-4o-mini',
    ]);
    expect(access.allowedTargets(narrow, embed)).toEqual([]);
  });

  it('answers from precomputed, shared arrays', () => {
    const wide = access.authorizeRoute('bob', 'chat')!;
    expect(access.allowedTargets(wide, chat)).toBe(access.allowedTargets(wide, chat));
    expect(Object.isFrozen(access.allowedTargets(wide, chat))).toBe(true);
  });

  it('applies a policy to the consumers its labels select, resolved when the config loads', () => {
    const team = (name: string, t: string, tier = 'standard') => testConsumer(name, { labels: { team: t, tier } });
    const selecting = createAccessControl(
      testIR({
        routes: [chat, internal],
        consumers: [team('pay-1', 'payments'), team('pay-2', 'payments'), team('pay-3', 'payments', 'critical'), team('web', 'web')],
        accessPolicies: [
          testPolicy('payments', { subjects: { consumers: ['web'], labels: { team: 'payments' } }, routes: ['chat'] }),
          testPolicy('payments-critical', {
            subjects: { consumers: [], labels: { team: 'payments', tier: 'critical' } },
            routes: ['internal'],
          }),
        ],
      }),
    );
    expect(selecting.visibleRoutes('pay-1')).toEqual(['chat']);
    expect(selecting.visibleRoutes('pay-3')).toEqual(['chat', 'internal']);
    expect(selecting.visibleRoutes('web')).toEqual(['chat']);
    expect(selecting.authorizeRoute('pay-2', 'internal')).toBeUndefined();
    expect(selecting.policiesFor('pay-3').map((p) => p.name)).toEqual(['payments', 'payments-critical']);
    // Consumers a selector picks alike share its tables rather than a copy each.
    expect(selecting.visibleRoutes('pay-1')).toBe(selecting.visibleRoutes('pay-2'));
  });

  it('grants every route or prompt of the config through `*`, the first policy by name deciding', () => {
    const staff = testConsumer('dana', { labels: { team: 'ops' } });
    const every = createAccessControl(
      testIR({
        routes: [chat, embed, internal],
        prompts: [testPrompt('summarise', 'chat')],
        consumers: [staff, testConsumer('erin', { labels: { team: 'ops' } })],
        accessPolicies: [
          testPolicy('b-all-routes', { subjects: { consumers: [], labels: { team: 'ops' } }, routes: ['*'] }),
          testPolicy('a-chat', { subjects: { consumers: [], labels: { team: 'ops' } }, routes: ['chat'] }),
          testPolicy('c-all-again', { subjects: { consumers: [], labels: { team: 'ops' } }, routes: ['*'], prompts: ['*'] }),
          testPolicy('0-dana-all', { consumers: ['dana'], routes: ['*'] }),
        ],
      }),
    );
    // Selected alike: an explicit grant first by name keeps its route, `*` of the first all-policy takes the rest.
    expect(every.authorizeRoute('erin', 'chat')?.name).toBe('a-chat');
    expect(every.authorizeRoute('erin', 'embed')?.name).toBe('b-all-routes');
    expect(every.authorizePrompt('erin', 'summarise')?.name).toBe('c-all-again');
    // A named policy first by name takes every route from the team's.
    expect(every.authorizeRoute('dana', 'chat')?.name).toBe('0-dana-all');
    // Only the config's own routes and prompts.
    expect(every.authorizeRoute('erin', 'no-such-route')).toBeUndefined();
    expect(every.authorizePrompt('dana', 'no-such-prompt')).toBeUndefined();
    expect(every.visibleRoutes('erin')).toEqual(['chat', 'embed', 'internal']);
    expect(every.visibleRoutes('dana')).toEqual(['chat', 'embed', 'internal']);
  });
});
