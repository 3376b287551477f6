import { describe, expect, it } from 'vitest';
import { smallIR, testConsumer } from '../../test/support/ir-fixture.ts';
import { changedPart, diffGraph } from './diff.ts';
import { graphFromIR } from './from-ir.ts';
import type { Graph } from './model.ts';

const statuses = (g: Graph) => ({
  nodes: Object.fromEntries(g.nodes.map((n) => [n.key, n.status])),
  edges: g.edges.map((e) => `${e.status} ${e.from} -> ${e.to}${e.label ? ` (${e.label})` : ''}`),
});

function reweighted() {
  const ir = smallIR();
  ir.routes[0] = { ...ir.routes[0]!, targets: ir.routes[0]!.targets.map((t) => ({ ...t, weight: 1 })) };
  return ir;
}

describe('diffGraph', () => {
  it('returns null when nothing a picture shows changed', () => {
    expect(diffGraph(smallIR(), smallIR())).toBeNull();
  });

  it('shows a route whose aliases changed as changed', () => {
    const aliased = smallIR();
    aliased.routes[1]!.aliases = { exact: [], patterns: ['gpt-4o-*'] };
    expect(statuses(changedPart(graphFromIR(smallIR()), graphFromIR(aliased))!).nodes).toEqual({ 'Route/premium': 'changed' });
  });

  it('shows a route weight change as the route and its two targets, old shares removed, new added', () => {
    const g = changedPart(graphFromIR(smallIR()), graphFromIR(reweighted()))!;
    expect(statuses(g)).toEqual({
      nodes: { 'Route/chat': 'unchanged', 'Model/anthropic/claude': 'unchanged', 'Model/openai/gpt-4o-mini': 'unchanged' },
      edges: [
        'removed Route/chat -> Model/anthropic/claude (25%)',
        'added Route/chat -> Model/anthropic/claude (50%)',
        'added Route/chat -> Model/openai/gpt-4o-mini (50%)',
        'removed Route/chat -> Model/openai/gpt-4o-mini (75%)',
      ],
    });
    const mermaid = diffGraph(smallIR(), reweighted())!;
    expect(mermaid).toContain('Route_chat -->|"+ 50%"| Model_anthropic_claude');
    expect(mermaid).toContain('Route_chat -->|"#8722; 25%"| Model_anthropic_claude');
    expect(mermaid).toMatch(/linkStyle \d+,\d+ stroke:#1a7f37/);
    expect(mermaid).toMatch(/linkStyle \d+,\d+ stroke:#cf222e.*dasharray/);
    expect(mermaid).toContain('class Route_chat,Model_anthropic_claude,Model_openai_gpt_4o_mini unchanged');
  });

  it('shows an added consumer and a removed route with their edges, and a changed budget', () => {
    const head = smallIR();
    head.consumers.push(testConsumer('new-app', { labels: { team: 'payments' } }));
    head.accessPolicies[0] = {
      ...head.accessPolicies[0]!,
      subjects: { consumers: ['pay-api', 'new-app'] },
      routes: ['chat'],
      limits: { monthlyBudgetUsd: 200 },
    };
    head.routes = head.routes.filter((r) => r.name !== 'premium');
    const { nodes, edges } = statuses(changedPart(graphFromIR(smallIR()), graphFromIR(head))!);
    expect(nodes).toMatchObject({
      'Consumer/new-app': 'added',
      'AccessPolicy/payments': 'changed',
      'Route/premium': 'removed',
      'Model/openai/gpt-4o': 'unchanged',
    });
    expect(nodes).not.toHaveProperty('Route/chat');
    expect(edges).toEqual(
      expect.arrayContaining([
        'added Consumer/new-app -> AccessPolicy/payments',
        'removed AccessPolicy/payments -> Route/premium',
        'removed Route/premium -> Model/openai/gpt-4o (100%)',
      ]),
    );
  });

  it('leaves out neighbours, then the picture, when the change is too big to draw', () => {
    const head = smallIR();
    head.consumers.push(...Array.from({ length: 8 }, (_, i) => testConsumer(`c${i}`)));
    head.accessPolicies[0]!.subjects.consumers.push(...head.consumers.slice(-8).map((c) => c.name));
    const trimmed = diffGraph(smallIR(), head, { maxNodes: 8 })!;
    expect(trimmed).toContain('Unchanged neighbours are left out: the change touches 9 nodes.');
    expect(trimmed).not.toContain('AccessPolicy_payments');
    expect(diffGraph(smallIR(), head, { maxNodes: 4 })).toContain('8 nodes changed: too many to draw here.');
  });
});
