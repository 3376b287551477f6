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
      'modelgate_tokens_total{route="chat",provider="oai",consumer="alice",direction="input"} 30',
      'modelgate_cost_usd_total{route="chat",provider="oai",consumer="alice"} 0.75',
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
});
