import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { prodSharedLimitStore } from './prod-shared-limit-store.ts';

describe('prod-shared-limit-store', () => {
  it('accepts one replica in memory, or replicas sharing Redis', () => {
    expect(findings(prodSharedLimitStore, doc('Gateway', 'gw', 'kubernetes: {replicas: 1}'), 'production')).toEqual([]);
    const shared = doc('Gateway', 'gw', 'kubernetes: {replicas: 3}\nstores: {limits: {type: redis, url: env:REDIS_URL}}');
    expect(findings(prodSharedLimitStore, shared, 'production')).toEqual([]);
  });

  it('flags replicas or autoscaling with in-memory limits', () => {
    expect(findings(prodSharedLimitStore, doc('Gateway', 'gw', 'kubernetes: {replicas: 3}'), 'production').map((f) => f.at)).toEqual(['spec.kubernetes']);
    const scaled = doc('Gateway', 'gw', 'kubernetes: {autoscaling: {enabled: true}}\nstores: {limits: {type: memory}}');
    expect(findings(prodSharedLimitStore, scaled, 'production').map((f) => f.at)).toEqual(['spec.stores.limits.type']);
  });
});
