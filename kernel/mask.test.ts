import { describe, expect, it } from 'vitest';
import type { Diagnostic } from './diagnostics.ts';
import { namedRuleId } from './rule-registry.ts';
import { MASK, maskDiagnostic, maskText, maskValue, reportMask } from './mask.ts';

describe('maskText', () => {
  it.each([
    ['sk-proj-Abcdefghijklmnop1234567890', '[REDACTED OpenAI API key]'],
    ['key glpat-abcdefghij1234567890xy here', 'key [REDACTED GitLab token] here'],
    ['AKIAABCDEFGHIJKLMNOP', '[REDACTED AWS access key id]'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\nnext', `${MASK}\nnext`],
    ['Authorization: Bearer abc123def456ghi', `Authorization: ${MASK}`],
    ['curl -H "Bearer abcdef123456"', `curl -H "Bearer ${MASK}"`],
    ['redis://default:hunter22@redis:6379/0', `redis://default:${MASK}@redis:6379/0`],
    ['{"x-api-key": "not-a-pattern-but-a-key"}', `{"x-api-key": "${MASK}"}`],
    ['  password: correct horse battery', `  password: ${MASK}`],
    ['https://h/x?token=abc&x=1', `https://h/x?token=${MASK}&x=1`],
  ])('masks %s', (input, expected) => {
    expect(maskText(input)).toBe(expected);
  });

  it.each([
    'credential: env:OPENAI_API_KEY',
    '"apiKey": "${{ env.OPENAI_API_KEY }}"',
    'token: k8s:llm-keys/openai',
    'Basic authentication is not supported',
    'tokensPerMinute: 60000',
    'secret:\n  name: llm-keys',
    '"secret": {"name": "x"}',
    'sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  ])('leaves %j alone', (input) => {
    expect(maskText(input)).toBe(input);
  });
});

describe('maskValue', () => {
  it('masks values under sensitive keys whole, except references, and patterns anywhere', () => {
    const value = {
      headers: { Authorization: 'plain-text-credential', 'X-Org': 'acme' },
      credential: 'env:OPENAI_API_KEY',
      notes: ['uses sk-live-0123456789abcdefghij'],
      token: 'k8s:keys/openai',
    };
    expect(maskValue(value)).toEqual({
      headers: { Authorization: MASK, 'X-Org': 'acme' },
      credential: 'env:OPENAI_API_KEY',
      notes: ['uses [REDACTED OpenAI API key]'],
      token: 'k8s:keys/openai',
    });
  });
});

describe('reportMask', () => {
  it('masks each finding of a report as maskDiagnostic does, texts repeated across findings and keys included', () => {
    const finding = (message: string, hint?: string): Diagnostic => ({
      ruleId: namedRuleId('no-literal-credentials'),
      severity: 'error',
      message,
      hint,
      file: 'providers/openai.yaml',
      line: 3,
      column: 5,
      endLine: 3,
      endColumn: 40,
    });
    const planted = 'apiKey: sk-live-0123456789abcdefghij';
    const findings = [
      finding(planted, 'Use env:OPENAI_API_KEY'),
      finding(planted),
      finding('password: hunter22', planted),
      { ...finding('plain'), suppressed: { exception: 'x', owner: 'team', reason: 'password: hunter22' } },
    ];
    const mask = reportMask();
    const masked = findings.map(mask);
    expect(masked).toEqual(findings.map(maskDiagnostic));
    expect(JSON.stringify(masked)).not.toMatch(/sk-live|hunter22/);
  });
});
