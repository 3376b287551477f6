// The Prometheus text the gateway's families produce, as a scraper reads it.
import { describe, expect, it } from 'vitest';
import type { UsageRecord } from '../schema/types.ts';
import { GatewayMetrics } from './metrics.ts';

const record = (over: Partial<UsageRecord>): UsageRecord => ({
  ts: '2026-01-01T00:00:00.000Z',
  requestId: 'r',
  api: 'chat',
  consumer: 'alice',
  route: 'chat',
  provider: 'oai',
  model: 'gpt-4o-mini',
  status: 200,
  inputTokens: 10,
  outputTokens: 5,
  costUsd: 0.25,
  latencyMs: 30,
  cache: 'bypass',
  stream: false,
  ...over,
});

describe('GatewayMetrics', () => {
  it('counts requests, tokens and cost per series and fills histogram buckets cumulatively', async () => {
    const m = new GatewayMetrics();
    m.request(record({}));
    m.request(record({ latencyMs: 700 }));
    m.request(record({ status: 429, consumer: null, inputTokens: 0, outputTokens: 0, costUsd: 0, latencyMs: 1 }));
    m.request(record({ api: 'messages', latencyMs: 40 }));
    m.upstreamAttempt('oai', 'gpt-4o-mini', 'ok', 20);
    m.rateLimited('bob', 'budget');
    const text = await m.text();
    for (const line of [
      '# TYPE modelgate_requests_total counter',
      'modelgate_requests_total{api="chat",route="chat",provider="oai",consumer="alice",status="200"} 2',
      'modelgate_requests_total{api="chat",route="chat",provider="oai",consumer="",status="429"} 1',
      'modelgate_requests_total{api="messages",route="chat",provider="oai",consumer="alice",status="200"} 1',
      // Tokens and cost are per route, whatever the API.
      'modelgate_tokens_total{route="chat",provider="oai",policy="",consumer="alice",direction="input"} 30',
      'modelgate_cost_usd_total{route="chat",provider="oai",policy="",consumer="alice"} 0.75',
      'modelgate_request_duration_seconds_bucket{api="chat",route="chat",provider="oai",status="200",le="0.025"} 0',
      'modelgate_request_duration_seconds_bucket{api="chat",route="chat",provider="oai",status="200",le="0.05"} 1',
      'modelgate_request_duration_seconds_bucket{api="chat",route="chat",provider="oai",status="200",le="+Inf"} 2',
      'modelgate_request_duration_seconds_count{api="chat",route="chat",provider="oai",status="200"} 2',
      'modelgate_request_duration_seconds_sum{api="chat",route="chat",provider="oai",status="200"} 0.73',
      'modelgate_request_duration_seconds_count{api="messages",route="chat",provider="oai",status="200"} 1',
      'modelgate_upstream_duration_seconds_count{provider="oai",model="gpt-4o-mini",outcome="ok"} 1',
      'modelgate_rate_limit_rejections_total{consumer="bob",reason="budget"} 1',
      'process_cpu_user_seconds_total',
    ]) {
      expect(text).toContain(line);
    }
  });

  it('labels tokens and cost with the admitting policy, apart per policy', async () => {
    const m = new GatewayMetrics();
    m.request(record({}), 'team-a');
    m.request(record({}), 'team-a');
    m.request(record({ costUsd: 1 }), 'team-b');
    const text = await m.text();
    expect(text).toContain('modelgate_cost_usd_total{route="chat",provider="oai",policy="team-a",consumer="alice"} 0.5');
    expect(text).toContain('modelgate_cost_usd_total{route="chat",provider="oai",policy="team-b",consumer="alice"} 1');
    expect(text).toContain('modelgate_tokens_total{route="chat",provider="oai",policy="team-a",consumer="alice",direction="output"} 10');
  });

  it('times the first event of streams and the output token rate of streams and JSON answers', async () => {
    const m = new GatewayMetrics();
    // A stream: first event after 200 ms, then 100 tokens in the 2 s that follow (50/s).
    m.request(record({ stream: true, outputTokens: 100, latencyMs: 2200, upstreamLatencyMs: 150 }), 'p', 200);
    // A JSON answer: 30 tokens over 1.5 s upstream (20/s); it has no first event.
    m.request(record({ outputTokens: 30, latencyMs: 1600, upstreamLatencyMs: 1500 }), 'p');
    // A cache hit (no upstream time) and a refusal (no tokens) tell nothing of generation speed.
    m.request(record({ outputTokens: 30, latencyMs: 2, upstreamLatencyMs: 0, cache: 'hit' }), 'p');
    m.request(record({ status: 429, outputTokens: 0, latencyMs: 1 }), 'p');
    const text = await m.text();
    const labels = 'route="chat",provider="oai",model="gpt-4o-mini"';
    for (const line of [
      `modelgate_time_to_first_token_seconds_bucket{${labels},le="0.1"} 0`,
      `modelgate_time_to_first_token_seconds_bucket{${labels},le="0.25"} 1`,
      `modelgate_time_to_first_token_seconds_count{${labels}} 1`,
      `modelgate_time_to_first_token_seconds_sum{${labels}} 0.2`,
      `modelgate_output_tokens_per_second_bucket{${labels},le="10"} 0`,
      `modelgate_output_tokens_per_second_bucket{${labels},le="20"} 1`,
      `modelgate_output_tokens_per_second_bucket{${labels},le="50"} 2`,
      `modelgate_output_tokens_per_second_count{${labels}} 2`,
      `modelgate_output_tokens_per_second_sum{${labels}} 70`,
    ]) {
      expect(text).toContain(line);
    }
  });
});
