import { describe, expect, it } from 'vitest';
import { redactSecrets, secretKind } from './secrets.ts';

const OPENAI = 'sk-' + 'abcdefghijklmnopqrstuvwx1234';

describe('secretKind', () => {
  it('ignores references, placeholders, ordinary words and hashes in ordinary fields', () => {
    expect(secretKind('env:OPENAI_API_KEY', 'credential')).toBeUndefined();
    expect(secretKind('${{ env.TOKEN }}', 'token')).toBeUndefined();
    expect(secretKind('changeme', 'password')).toBeUndefined();
    expect(secretKind('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'sha256')).toBeUndefined();
    expect(secretKind('chat-default-with-fallbacks', 'description')).toBeUndefined();
  });

  it('judges the token of an Authorization header value', () => {
    expect(secretKind('Bearer 7fQ2xLp9Zr4Tn8Wv3Ks6', 'Authorization')).toBe('high-entropy value in a credential field');
  });
});

describe('redactSecrets', () => {
  it('replaces every well-known token by its kind', () => {
    expect(redactSecrets(`a ${OPENAI} b ${OPENAI}`)).toBe('a [REDACTED OpenAI API key] b [REDACTED OpenAI API key]');
  });
});
