// Grouping by API and by MCP tool: tool calls are counted per `server/tool`, model requests apart.
import { describe, expect, it } from 'vitest';
import type { UsageRecord } from '../../schema/types.ts';
import { type Dimension, NONE, UsageAggregator } from './aggregate.ts';

const base = {
  ts: '2026-03-01T10:00:00.000Z',
  environment: 'prod',
  consumer: 'support-bot',
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  latencyMs: 12,
  upstreamLatencyMs: 10,
  attempts: 1,
  cache: 'bypass',
  stream: false,
} as const;

const toolCall = (n: number, server: string, tool: string, outcome: 'ok' | 'denied' | 'rate_limited' | 'detached'): UsageRecord => ({
  ...base,
  requestId: `mcp-${n}`,
  api: 'mcp',
  route: null,
  provider: null,
  model: null,
  // As the gateway records them: a refusal is a JSON-RPC error in an HTTP 200 (gateway/mcp/messages.ts).
  status: 200,
  mcp: { server, tool, outcome, requestBytes: 80, responseBytes: 400 },
});

const chat = (n: number): UsageRecord => ({
  ...base,
  requestId: `chat-${n}`,
  api: 'chat',
  route: 'chat',
  provider: 'openai',
  model: 'gpt-4o-mini',
  status: 200,
  inputTokens: 100,
  outputTokens: 20,
  costUsd: 0.001,
});

function summarize(by: Dimension, records: UsageRecord[]) {
  const aggregator = new UsageAggregator({ by });
  records.forEach((r, i) => aggregator.addLine(JSON.stringify(r), 'usage.jsonl', i + 1));
  return Object.fromEntries(aggregator.summary().groups.map((g) => [g.key, [g.requests, g.errors]]));
}

describe('usage grouped by MCP tool and by API', () => {
  const records = [
    toolCall(1, 'github', 'get_issue', 'ok'),
    toolCall(2, 'github', 'get_issue', 'ok'),
    toolCall(3, 'github', 'delete_issue', 'denied'),
    toolCall(4, 'docs', 'search', 'ok'),
    toolCall(5, 'docs', 'search', 'rate_limited'),
    toolCall(6, 'docs', 'search', 'detached'),
    chat(7),
  ];

  it('counts tool calls per server/tool, refusals as errors, and model requests apart', () => {
    expect(summarize('tool', records)).toEqual({
      'github/get_issue': [2, 0],
      'github/delete_issue': [1, 1],
      'docs/search': [3, 1],
      [NONE]: [1, 0],
    });
  });

  it('counts requests per ingress API', () => {
    expect(summarize('api', records)).toEqual({ mcp: [6, 2], chat: [1, 0] });
  });
});
