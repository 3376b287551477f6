// The outcome of authenticating one request. Messages are fixed texts: they never echo a credential.
import type { IRConsumer } from '../../compiler/ir/types.ts';

export type AuthFailure = { ok: false; status: 401 | 403; code: string; message: string };
export type AuthResult = { ok: true; consumer: IRConsumer } | AuthFailure;

/** 401: no credential, or one that does not prove an identity. */
export const unauthenticated = (code: string, message: string): AuthFailure => Object.freeze({ ok: false, status: 401, code, message });

/** 403: the credential is genuine but names no consumer of this gateway. */
export const forbidden = (code: string, message: string): AuthFailure => Object.freeze({ ok: false, status: 403, code, message });

/** One frozen success object per consumer, so that a successful check allocates nothing. */
export function successes(consumers: readonly IRConsumer[]): Map<string, AuthResult> {
  return new Map(consumers.map((consumer) => [consumer.name, Object.freeze({ ok: true as const, consumer })]));
}
