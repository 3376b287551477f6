// One provider as Envoy AI Gateway and Envoy Gateway see it: an AIServiceBackend (the API schema), the Envoy
// Gateway Backend it points to (host and port), TLS for https, and a BackendSecurityPolicy for its API key.
import type { IR, IRProvider, SecretRef } from '../../compiler/ir/types.ts';
import { DEFAULT_AZURE_API_VERSION, parseUpstreamUrl } from '../emit.ts';
import type { TargetFinding } from '../target.ts';
import { AIGW, ENVOY_GATEWAY, GATEWAY_API, meta, type Manifest } from './manifest.ts';

/** Envoy AI Gateway reads API keys from this key of the referenced Secret, and from no other. */
const API_KEY = 'apiKey';

/** The Secret a provider's (or MCP server's) key is read from: the one the config names when it has key `apiKey`, else a convention. */
export function apiKeySecret(p: { name: string; credential: SecretRef | null }): string {
  return p.credential?.source === 'k8s' && p.credential.key === API_KEY ? p.credential.name : `${p.name}-apikey`;
}

const SCHEMA: Record<IRProvider['type'], string> = {
  openai: 'OpenAI',
  'openai-compatible': 'OpenAI',
  'azure-openai': 'AzureOpenAI',
  anthropic: 'Anthropic',
};

const SECURITY: Record<IRProvider['type'], [type: string, field: string]> = {
  openai: ['APIKey', 'apiKey'],
  'openai-compatible': ['APIKey', 'apiKey'],
  'azure-openai': ['AzureAPIKey', 'azureAPIKey'],
  anthropic: ['AnthropicAPIKey', 'anthropicAPIKey'],
};

/** Paths follow the Node runtime: OpenAI-style `<base>/chat/completions`, Anthropic `<base>[/v1]/messages`. */
function schemaOf(p: IRProvider): Record<string, string> {
  const base = parseUpstreamUrl(p.baseUrl).basePath;
  switch (p.type) {
    case 'azure-openai':
      return { name: SCHEMA[p.type], version: p.apiVersion ?? DEFAULT_AZURE_API_VERSION };
    case 'anthropic':
      return { name: SCHEMA[p.type], prefix: base.endsWith('/v1') ? base : `${base}/v1` };
    default:
      return { name: SCHEMA[p.type], prefix: base || '/' };
  }
}

/** The Envoy Gateway Backend (host and port) an upstream is reached through, with TLS for https. */
export function upstreamBackend(ir: IR, name: string, baseUrl: string): Manifest[] {
  const url = parseUpstreamUrl(baseUrl);
  const manifests: Manifest[] = [
    {
      apiVersion: ENVOY_GATEWAY,
      kind: 'Backend',
      metadata: meta(ir, name),
      spec: { endpoints: [url.isIp ? { ip: { address: url.host, port: url.port } } : { fqdn: { hostname: url.host, port: url.port } }] },
    },
  ];
  if (url.https) {
    manifests.push({
      apiVersion: GATEWAY_API,
      kind: 'BackendTLSPolicy',
      metadata: meta(ir, `${name}-tls`),
      spec: {
        targetRefs: [{ group: 'gateway.envoyproxy.io', kind: 'Backend', name }],
        validation: { wellKnownCACertificates: 'System', hostname: url.host },
      },
    });
  }
  return manifests;
}

export function providerManifests(ir: IR, p: IRProvider): { manifests: Manifest[]; findings: TargetFinding[] } {
  const headers = Object.keys(p.headers).sort();
  const manifests: Manifest[] = [
    {
      apiVersion: AIGW,
      kind: 'AIServiceBackend',
      metadata: meta(ir, p.name),
      spec: {
        schema: schemaOf(p),
        backendRef: { name: p.name, kind: 'Backend', group: 'gateway.envoyproxy.io' },
        ...(headers.length ? { headerMutation: { set: headers.map((name) => ({ name, value: p.headers[name]! })) } } : {}),
      },
    },
    ...upstreamBackend(ir, p.name, p.baseUrl),
  ];
  const findings: TargetFinding[] = [];
  if (p.credential) {
    const [type, field] = SECURITY[p.type];
    manifests.push({
      apiVersion: AIGW,
      kind: 'BackendSecurityPolicy',
      metadata: meta(ir, `${p.name}-apikey`),
      spec: {
        targetRefs: [{ group: 'aigateway.envoyproxy.io', kind: 'AIServiceBackend', name: p.name }],
        type,
        [field]: { secretRef: { name: apiKeySecret(p), namespace: ir.gateway.kubernetes.namespace } },
      },
    });
    if (p.credential.source === 'k8s' && p.credential.key !== API_KEY) {
      findings.push({
        ruleId: 'target-approximated',
        severity: 'warning',
        resource: `Provider/${p.name}`,
        path: ['spec', 'credential'],
        message: `Envoy AI Gateway reads an API key only from a Secret key named ${API_KEY}, not ${p.credential.key} of Secret ${p.credential.name}: the envoy-ai-gateway output reads Secret ${apiKeySecret(p)} (key ${API_KEY}) instead`,
        hint: `create it, or reference k8s:<secret>/${API_KEY} in the provider`,
      });
    }
  }
  return { manifests, findings };
}
