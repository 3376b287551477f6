// JWT verification in Envoy (jwt_authn), emitted only when Envoy can verify every consumer's token by itself.
import { createPublicKey } from 'node:crypto';
import type { IR } from '../../compiler/ir/types.ts';
import { dnsLabel, stableJson } from '../emit.ts';
import type { TargetFinding } from '../target.ts';
import { TYPE, typed, type Json } from './config.ts';

export interface JwtAuth {
  filter?: Json;
  findings: TargetFinding[];
}

/**
 * Every consumer must authenticate with a JWT from an issuer that has a public key: API keys travel in the same
 * Authorization header (Envoy would reject them as malformed tokens) and shared secrets would have to be inlined.
 * Otherwise no filter, and an info finding saying why.
 */
export function jwtAuth(ir: IR, openPaths: readonly string[]): JwtAuth {
  const gateway = `Gateway/${ir.gateway.name}`;
  const skip = (reason: string): JwtAuth => ({
    findings: [
      {
        ruleId: 'target-unsupported',
        severity: 'info',
        resource: gateway,
        path: ['spec', 'auth'],
        message: `Envoy does not verify JWTs: ${reason}`,
      },
    ],
  });
  const issuers = ir.gateway.auth.jwt;
  if (ir.consumers.length === 0 || issuers.length === 0) return { findings: [] };
  if (ir.consumers.some((c) => c.apiKeys.length > 0 || !c.jwt))
    return skip('some consumers authenticate with API keys, which share the Authorization header');
  const used = new Set(ir.consumers.map((c) => c.jwt!.issuer));
  const providers: Record<string, Json> = {};
  const findings: TargetFinding[] = [];
  for (const [i, issuer] of issuers.entries()) {
    if (!used.has(issuer.issuer)) continue;
    if (!issuer.publicKey)
      return skip(`issuer ${issuer.issuer} has no public key (a shared secret cannot be given to Envoy without inlining it)`);
    let jwk: Json;
    try {
      jwk = createPublicKey(issuer.publicKey).export({ format: 'jwk' }) as Json;
    } catch {
      findings.push({
        ruleId: 'target-invalid',
        severity: 'error',
        resource: gateway,
        path: ['spec', 'auth', 'jwt', i, 'publicKey'],
        message: `the public key of issuer ${issuer.issuer} is not a PEM public key`,
      });
      continue;
    }
    providers[dnsLabel(issuer.issuer)] = {
      issuer: issuer.issuer,
      ...(issuer.audiences.length ? { audiences: issuer.audiences } : {}),
      local_jwks: { inline_string: stableJson({ keys: [jwk] }) },
      // The Node gateway maps the token's claims to a consumer, so it needs the token too.
      forward: true,
    };
  }
  if (findings.length) return { findings };
  const names = Object.keys(providers).sort();
  const requires =
    names.length === 1
      ? { provider_name: names[0] }
      : { requires_any: { requirements: names.map((provider_name) => ({ provider_name })) } };
  const rules = [...openPaths.map((path) => ({ match: { path } })), { match: { prefix: '/' }, requires }];
  return { filter: { name: 'envoy.filters.http.jwt_authn', typed_config: typed(TYPE.jwtAuthn, { providers, rules }) }, findings: [] };
}
