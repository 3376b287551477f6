import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSecretRef } from '../kernel/secret-env.ts';
import { createSecretResolver, MissingSecretError } from './secrets.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-secrets-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function errorOf(fn: () => unknown): MissingSecretError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(MissingSecretError);
    return err as MissingSecretError;
  }
  throw new Error('expected a MissingSecretError');
}

describe('createSecretResolver', () => {
  it('reads env refs', () => {
    const resolve = createSecretResolver({ OPENAI_API_KEY: 'sk-test-123' });
    expect(resolve(parseSecretRef('env:OPENAI_API_KEY'))).toBe('sk-test-123');
  });

  it('reads file refs, trimmed', () => {
    const file = path.join(dir, 'key');
    fs.writeFileSync(file, '  sk-from-file\n');
    expect(createSecretResolver({})(parseSecretRef(`file:${file}`))).toBe('sk-from-file');
  });

  it('reads k8s refs from the env var the k8s target wires them to', () => {
    const resolve = createSecretResolver({ MODELGATE_SECRET_LLM_KEYS_OPENAI: 'sk-k8s' });
    expect(resolve(parseSecretRef('k8s:llm-keys/openai'))).toBe('sk-k8s');
  });

  it('names the reference of a missing secret and never a value', () => {
    const env = { OTHER: 'sk-do-not-print' };
    const resolve = createSecretResolver(env);
    expect(errorOf(() => resolve(parseSecretRef('env:OPENAI_API_KEY'))).message).toBe('env:OPENAI_API_KEY is not set');
    expect(errorOf(() => resolve(parseSecretRef('k8s:llm-keys/openai'))).message).toBe(
      'k8s:llm-keys/openai is not set (expected in env MODELGATE_SECRET_LLM_KEYS_OPENAI)',
    );
    const missingFile = errorOf(() => resolve(parseSecretRef(`file:${path.join(dir, 'absent')}`)));
    expect(missingFile.message).toBe(`file:${path.join(dir, 'absent')} could not be read (ENOENT)`);
    expect(missingFile.ref).toBe(`file:${path.join(dir, 'absent')}`);
  });

  it('treats empty values as missing', () => {
    const file = path.join(dir, 'empty');
    fs.writeFileSync(file, '\n');
    const resolve = createSecretResolver({ EMPTY: '' });
    expect(errorOf(() => resolve(parseSecretRef('env:EMPTY'))).message).toBe('env:EMPTY is empty');
    expect(errorOf(() => resolve(parseSecretRef(`file:${file}`))).message).toBe(`file:${file} is empty`);
  });

  it('keeps file contents out of read errors', () => {
    const readFile = () => {
      throw Object.assign(new Error('EACCES: sk-secret-bytes'), { code: 'EACCES' });
    };
    const err = errorOf(() => createSecretResolver({}, readFile)(parseSecretRef('file:/run/secrets/key')));
    expect(err.message).toBe('file:/run/secrets/key could not be read (EACCES)');
  });
});
