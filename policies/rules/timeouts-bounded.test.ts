import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { timeoutsBounded } from './timeouts-bounded.ts';

const provider = (timeout?: string) =>
  doc('Provider', 'openai', `type: openai\nbaseUrl: https://x\nmodels: [{name: m}]${timeout ? `\ntimeout: ${timeout}` : ''}`);
const route = (timeout?: string) => doc('Route', 'chat', `targets: [{provider: openai, model: m}]${timeout ? `\ntimeout: ${timeout}` : ''}`);
const gateway = (timeout: string) => doc('Gateway', 'gw', `limits: {requestTimeout: ${timeout}}`);

describe('timeouts-bounded', () => {
  it('accepts bounded, consistent timeouts', () => {
    expect(findings(timeoutsBounded, provider('30s') + route('90s') + gateway('120s'))).toEqual([]);
  });

  it('flags missing and out-of-range timeouts', () => {
    const found = findings(timeoutsBounded, provider('500ms') + route());
    expect(found.map((f) => `${f.resource} ${f.message}`)).toEqual([
      'Provider/openai Provider openai has a timeout of 500ms, outside 1s to 10m.',
      'Route/chat Route chat sets no timeout.',
    ]);
  });

  it('flags a route shorter than its provider attempt, or longer than the gateway request', () => {
    const found = findings(timeoutsBounded, provider('60s') + route('200s') + gateway('120s'));
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain("more than the gateway's requestTimeout");
    const short = findings(timeoutsBounded, provider('60s') + route('30s'));
    expect(short.map((f) => f.at)).toEqual(['spec.timeout']);
    expect(short[0]!.message).toContain('before one attempt on provider openai');
  });
});
