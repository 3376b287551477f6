import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { dnsLabel, gatewayDuration, parseUpstreamUrl, protoDuration, stableJson, toYaml } from './emit.ts';

describe('emit helpers', () => {
  it('writes YAML with sorted keys, no anchors, and YAML 1.1 look-alikes quoted', () => {
    const shared = { a: 1 };
    const text = toYaml({ b: shared, a: shared, labels: { country: 'no', enabled: 'on', time: '12:30', mode: '0755' } });
    expect(text.indexOf('a:')).toBeLessThan(text.indexOf('b:'));
    expect(text).not.toMatch(/[&*]/);
    expect(text).toContain('country: "no"');
    expect(text).toContain('time: "12:30"');
    expect(parse(text).labels).toEqual({ country: 'no', enabled: 'on', time: '12:30', mode: '0755' });
  });

  it('sorts JSON keys at every level', () => {
    expect(stableJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });

  it('writes a `__proto__` key (a label named so, as YAML gives it) as data, sorted with the rest', () => {
    const labels = JSON.parse('{"z":"1","__proto__":{"polluted":true},"a":"2"}');
    expect(stableJson({ labels })).toBe('{"labels":{"__proto__":{"polluted":true},"a":"2","z":"1"}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('makes DNS labels, keeping distinct inputs distinct when it has to change them', () => {
    expect(dnsLabel('provider', 'openai')).toBe('provider-openai');
    const llama = dnsLabel('meta-llama/Llama-3.1-8B-Instruct');
    expect(llama).toMatch(/^meta-llama-llama-3-1-8b-instruct-[0-9a-f]{6}$/);
    expect(dnsLabel('a/b')).not.toBe(dnsLabel('a.b'));
    expect(dnsLabel('x'.repeat(100))).toHaveLength(63);
  });

  it('reads upstream URLs', () => {
    expect(parseUpstreamUrl('https://api.openai.com/v1')).toEqual({
      https: true,
      host: 'api.openai.com',
      port: 443,
      basePath: '/v1',
      isIp: false,
    });
    expect(parseUpstreamUrl('http://10.0.0.7:8000')).toEqual({ https: false, host: '10.0.0.7', port: 8000, basePath: '', isIp: true });
  });

  it('writes durations for protobuf and the Gateway API (at most 5 digits a unit)', () => {
    expect(protoDuration(200)).toBe('0.2s');
    expect(gatewayDuration(90_500)).toBe('1m30s500ms');
    expect(gatewayDuration(120_000_000)).toBe('33h20m');
    expect(gatewayDuration(0)).toBe('0s');
  });
});
