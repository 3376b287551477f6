// Turns secret references into values at start-up. Errors name the reference, never a value.
import fs from 'node:fs';
import type { SecretRef } from '../compiler/ir/types.ts';
import { secretEnvName } from '../kernel/secret-env.ts';

export type SecretResolver = (ref: SecretRef) => string;

/** A credential the config references but the process cannot find; safe to print. */
export class MissingSecretError extends Error {
  override name = 'MissingSecretError';
  constructor(
    readonly ref: string,
    reason: string,
  ) {
    super(`${ref} ${reason}`);
  }
}

/**
 * `env:` refs read the variable, `file:` refs the file (trimmed: files written by editors and
 * `kubectl create secret` end with a newline), `k8s:` refs the variable the k8s target wires the
 * Secret key to (see `secretEnvName`). An empty value counts as missing.
 */
export function createSecretResolver(
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string, encoding: 'utf8') => string = fs.readFileSync,
): SecretResolver {
  return (ref) => {
    const envName = secretEnvName(ref);
    if (envName !== undefined) {
      const value = env[envName];
      if (value === undefined)
        throw new MissingSecretError(ref.ref, envName === ref.name ? 'is not set' : `is not set (expected in env ${envName})`);
      if (value === '') throw new MissingSecretError(ref.ref, envName === ref.name ? 'is empty' : `is empty (env ${envName})`);
      return value;
    }
    let text: string;
    try {
      text = readFile(ref.name, 'utf8');
    } catch (err) {
      // The reference already names the path; the error code says what went wrong.
      throw new MissingSecretError(ref.ref, `could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const value = text.trim();
    if (value === '') throw new MissingSecretError(ref.ref, 'is empty');
    return value;
  };
}
