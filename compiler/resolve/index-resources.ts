// One pass over the resources: lookup maps by kind and name, shared by reference checks and the IR builder.
import type { Kind } from '../../schema/kinds.ts';
import type { AnyResource, Resource } from '../../kernel/resource.ts';

export type ResourceIndex = { [K in Kind]: Map<string, Resource<K>> } & { jwtIssuers: Set<string> };

export function indexResources(resources: readonly AnyResource[]): ResourceIndex {
  const index = {
    Gateway: new Map(),
    Provider: new Map(),
    Route: new Map(),
    Prompt: new Map(),
    Consumer: new Map(),
    AccessPolicy: new Map(),
    McpServer: new Map(),
    Guardrail: new Map(),
    Policy: new Map(),
    PolicyException: new Map(),
    Environment: new Map(),
    jwtIssuers: new Set<string>(),
  } as ResourceIndex;
  for (const r of resources) (index[r.kind] as Map<string, AnyResource>).set(r.name, r);
  for (const gateway of index.Gateway.values()) {
    const issuers: unknown = gateway.value.spec?.auth?.jwt;
    if (Array.isArray(issuers)) for (const issuer of issuers) index.jwtIssuers.add(String(issuer?.issuer));
  }
  return index;
}
