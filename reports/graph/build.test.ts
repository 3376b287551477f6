import { describe, expect, it } from 'vitest';
import { smallIR, testConsumer, testGuardrail, testPolicy } from '../../test/support/ir-fixture.ts';
import { buildGraph } from './build.ts';
import { FocusNotFoundError } from './focus.ts';
import type { Graph } from './model.ts';

const edges = (g: Graph): string[] => g.edges.map((e) => `${e.from} -${e.kind}${e.label ? `(${e.label})` : ''}-> ${e.to}`);
const keys = (g: Graph): string[] => g.nodes.map((n) => n.key);

describe('buildGraph', () => {
  it('draws every path a request can take, with weights as shares and ordered fallbacks', () => {
    const g = buildGraph(smallIR());
    expect(keys(g)).toEqual([
      'Consumer/loner',
      'Consumer/pay-api',
      'Consumer/support-bot',
      'AccessPolicy/payments',
      'AccessPolicy/support',
      'Prompt/summary',
      'Route/chat',
      'Route/premium',
      'Model/anthropic/claude',
      'Model/openai/gpt-4o',
      'Model/openai/gpt-4o-mini',
      'Provider/anthropic',
      'Provider/openai',
    ]);
    expect(edges(g)).toEqual(
      expect.arrayContaining([
        'Consumer/pay-api -grants-> AccessPolicy/payments',
        'AccessPolicy/payments -grants-> Route/premium',
        'AccessPolicy/support -grants-> Prompt/summary',
        'Prompt/summary -runs-on-> Route/chat',
        'Route/chat -target(75%)-> Model/openai/gpt-4o-mini',
        'Route/chat -target(25%)-> Model/anthropic/claude',
        'Route/chat -fallback(fallback 1)-> Model/openai/gpt-4o',
        'Model/openai/gpt-4o -hosted-by-> Provider/openai',
      ]),
    );
    expect(g.nodes.find((n) => n.key === 'AccessPolicy/payments')?.details).toEqual(['budget $100/month']);
    expect(g.nodes.find((n) => n.key === 'Consumer/pay-api')?.team).toBe('payments');
    expect(g.notes).toEqual([]);
  });

  it('draws the guardrails a policy and a route run, in order, with what each checks', () => {
    const ir = smallIR();
    ir.guardrails = [
      testGuardrail('pii', { type: 'pii', detectors: ['email'], patterns: [] }, { action: 'mask' }),
      testGuardrail('topics', { type: 'deniedTopics', words: ['x'] }, { stage: 'both' }),
    ];
    ir.accessPolicies[0]!.guardrails = ['pii', 'topics'];
    ir.routes[0]!.guardrails = ['topics'];
    const g = buildGraph(ir);
    expect(g.nodes.filter((n) => n.kind === 'guardrail').map((n) => [n.key, ...n.details])).toEqual([
      ['Guardrail/pii', 'pii, mask on request'],
      ['Guardrail/topics', 'deniedTopics, block on request + response'],
    ]);
    const policy = ir.accessPolicies[0]!.name;
    expect(edges(g).filter((e) => e.includes('guarded-by'))).toEqual([
      `AccessPolicy/${policy} -guarded-by(run 1)-> Guardrail/pii`,
      `AccessPolicy/${policy} -guarded-by(run 2)-> Guardrail/topics`,
      `Route/${ir.routes[0]!.name} -guarded-by(run 1)-> Guardrail/topics`,
    ]);
  });

  it('labels a route with its aliases, the first few by name', () => {
    const ir = smallIR();
    ir.routes[0]!.aliases = { exact: ['gpt-4o-mini-2024-07-18'], patterns: ['gpt-4o-mini-*'] };
    ir.routes[1]!.aliases = { exact: ['a', 'b', 'c'], patterns: ['d-*', 'e-*'] };
    const details = (key: string) => buildGraph(ir).nodes.find((n) => n.key === key)?.details;
    expect(details('Route/chat')).toEqual(['aliases: gpt-4o-mini-2024-07-18, gpt-4o-mini-*']);
    expect(details('Route/premium')).toEqual(['aliases: a, b, c, d-* +1 more']);
  });

  it('labels a prompt with its own endpoint, and whether it answers JSON', () => {
    const ir = smallIR();
    ir.prompts[0]!.expose = { method: 'POST', path: '/v1/apps/summary', request: { type: 'object' }, response: { type: 'object' } };
    expect(buildGraph(ir).nodes.find((n) => n.key === 'Prompt/summary')?.details).toEqual(['POST /v1/apps/summary → JSON']);
  });

  it('is deterministic whatever the order of the IR arrays', () => {
    const ir = smallIR();
    const shuffled = { ...ir, consumers: [...ir.consumers].reverse(), routes: [...ir.routes].reverse() };
    expect(JSON.stringify(buildGraph(shuffled))).toBe(JSON.stringify(buildGraph(ir)));
  });

  it('focus on a route keeps its callers and what it calls, not its neighbours other branches', () => {
    const g = buildGraph(smallIR(), { focus: 'route/premium' });
    expect(keys(g)).toEqual(['Consumer/pay-api', 'AccessPolicy/payments', 'Route/premium', 'Model/openai/gpt-4o', 'Provider/openai']);
    expect(edges(g)).not.toContain('AccessPolicy/payments -grants-> Route/chat');
    expect(g.notes).toEqual(['Showing only what reaches or is reached by Route/premium.']);
  });

  it('focus on a prompt drops the direct policy -> route grant that does not pass through it', () => {
    const ir = smallIR();
    ir.accessPolicies[1] = { ...ir.accessPolicies[1]!, routes: ['chat'] };
    const g = buildGraph(ir, { focus: 'Prompt/summary' });
    expect(edges(g)).toContain('AccessPolicy/support -grants-> Prompt/summary');
    expect(edges(g)).not.toContain('AccessPolicy/support -grants-> Route/chat');
    expect(keys(g)).not.toContain('Route/premium');
  });

  it('focus on a provider model works, and an unknown focus suggests the closest node', () => {
    expect(keys(buildGraph(smallIR(), { focus: 'Model/anthropic/claude' }))).toContain('Consumer/support-bot');
    expect(() => buildGraph(smallIR(), { focus: 'Route/chta' })).toThrow(FocusNotFoundError);
    expect(() => buildGraph(smallIR(), { focus: 'Route/chta' })).toThrow(/Did you mean "Route\/chat"/);
  });

  it('marks resources waived by a PolicyException (globs as in the PolicyException)', () => {
    const g = buildGraph(smallIR(), { waivers: [{ rule: 'route-has-fallback', resources: ['Route/prem*'] }] });
    expect(g.nodes.find((n) => n.key === 'Route/premium')?.waivedRules).toEqual(['route-has-fallback']);
    expect(g.nodes.find((n) => n.key === 'Route/chat')?.waivedRules).toBeUndefined();
  });

  it('collapses a large config team by team and says what it folded', () => {
    const ir = smallIR();
    const many = Array.from({ length: 40 }, (_, i) => testConsumer(`svc-${String(i).padStart(2, '0')}`, { labels: { team: 'big' } }));
    ir.consumers.push(...many);
    ir.accessPolicies.push(testPolicy('big', { consumers: many.map((c) => c.name), routes: ['chat'] }));
    const g = buildGraph(ir, { maxNodes: 20 });
    expect(g.nodes.length).toBeLessThanOrEqual(20);
    const team = g.nodes.find((n) => n.key === 'Team/big');
    expect(team?.members).toHaveLength(40);
    expect(edges(g)).toContain('Team/big -grants-> AccessPolicy/big');
    expect(g.notes).toContain('40 consumers of team big are drawn as one node.');
    // The small teams were not folded: the limit was met after the big one.
    expect(keys(g)).toContain('Consumer/pay-api');
  });

  it('folds models into providers when teams are not enough, and says when the limit still is not met', () => {
    const g = buildGraph(smallIR(), { maxNodes: 5 });
    expect(keys(g).filter((k) => k.startsWith('Model/'))).toEqual([]);
    expect(edges(g)).toContain('Route/chat -target(75%)-> Provider/openai');
    expect(g.notes.at(-1)).toMatch(/^Still \d+ nodes \(limit 5\): use --focus/);
  });
});

describe('MCP servers in the graph', () => {
  it('draws each granted server with the tools on the edge, and a changed grant as a changed edge', () => {
    const ir = smallIR();
    ir.mcpServers = [
      {
        name: 'github',
        labels: {},
        url: 'https://mcp.example/mcp',
        credential: null,
        credentialHeader: 'authorization',
        timeoutMs: 60_000,
        tools: [
          { name: 'delete_issue', risk: 'destructive' },
          { name: 'get_issue', risk: 'read' },
        ],
      },
    ];
    ir.accessPolicies[1]!.mcp = {
      servers: [{ server: 'github', tools: ['get_issue'], excludeTools: [], resources: [], prompts: [] }],
      redactArguments: false,
    };
    const g = buildGraph(ir, { focus: 'mcp/github' });
    expect(keys(g)).toEqual(['Consumer/loner', 'Consumer/support-bot', 'AccessPolicy/support', 'McpServer/github']);
    expect(edges(g)).toContain('AccessPolicy/support -grants(tools get_issue)-> McpServer/github');
    expect(g.nodes.at(-1)!.details).toEqual(['MCP, 2 tools pinned (1 destructive)']);
  });
});
