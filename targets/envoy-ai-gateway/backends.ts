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

/** Envoy AI Gateway reads AWS keys as a credentials file (INI, profile `default`) in key `credentials` of this Secret. */
const awsCredentialsSecret = (p: IRProvider): string => `${p.name}-aws-credentials`;

/**
 * v1.1 has no schema for Google's Gemini API (GCPVertexAI is Vertex AI, with Google Cloud credentials): a `gemini`
 * provider is reached through the OpenAI-compatible endpoint Google serves next to it, with the same API key.
 */
const SCHEMA: Record<IRProvider['type'], string> = {
  openai: 'OpenAI',
  'openai-compatible': 'OpenAI',
  'azure-openai': 'AzureOpenAI',
  anthropic: 'Anthropic',
  bedrock: 'AWSBedrock',
  gemini: 'OpenAI',
};

const SECURITY: Record<IRProvider['type'], [type: string, field: string]> = {
  openai: ['APIKey', 'apiKey'],
  'openai-compatible': ['APIKey', 'apiKey'],
  'azure-openai': ['AzureAPIKey', 'azureAPIKey'],
  anthropic: ['AnthropicAPIKey', 'anthropicAPIKey'],
  bedrock: ['AWSCredentials', 'awsCredentials'],
  gemini: ['APIKey', 'apiKey'],
};

/** Paths follow the Node runtime: OpenAI-style `<base>/chat/completions`, Anthropic `<base>[/v1]/messages`. */
function schemaOf(p: IRProvider): Record<string, string> {
  const base = parseUpstreamUrl(p.baseUrl).basePath;
  switch (p.type) {
    case 'azure-openai':
      return { name: SCHEMA[p.type], version: p.apiVersion ?? DEFAULT_AZURE_API_VERSION };
    case 'anthropic':
      return { name: SCHEMA[p.type], prefix: base.endsWith('/v1') ? base : `${base}/v1` };
    case 'bedrock':
      return { name: SCHEMA[p.type] };
    case 'gemini':
      return { name: SCHEMA[p.type], prefix: `${base}/openai` };
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
  const security = (name: string, value: Record<string, unknown>): Manifest => {
    const [type, field] = SECURITY[p.type];
    return {
      apiVersion: AIGW,
      kind: 'BackendSecurityPolicy',
      metadata: meta(ir, name),
      spec: { targetRefs: [{ group: 'aigateway.envoyproxy.io', kind: 'AIServiceBackend', name: p.name }], type, [field]: value },
    };
  };
  if (p.aws) {
    manifests.push(security(`${p.name}-aws`, awsCredentials(ir, p, findings)));
  } else if (p.credential) {
    manifests.push(security(`${p.name}-apikey`, { secretRef: { name: apiKeySecret(p), namespace: ir.gateway.kubernetes.namespace } }));
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
  if (p.type === 'gemini') {
    findings.push({
      ruleId: 'target-approximated',
      severity: 'warning',
      resource: `Provider/${p.name}`,
      path: ['spec', 'type'],
      message: `Envoy AI Gateway v1.1 has no schema for the Gemini API (GCPVertexAI is Vertex AI only): provider ${p.name} is called through Gemini's OpenAI-compatible endpoint (${p.baseUrl}/openai), whose translation Google does`,
    });
  }
  return { manifests, findings };
}

/**
 * A key pair becomes a credentials file in Secret `<provider>-aws-credentials`, which the user writes (Envoy AI
 * Gateway reads no other form). A web identity has no counterpart but Envoy AI Gateway's own credential chain.
 */
function awsCredentials(ir: IR, p: IRProvider, findings: TargetFinding[]): Record<string, unknown> {
  const aws = p.aws!;
  if ('accessKeyId' in aws) {
    return {
      region: aws.region,
      credentialsFile: { secretRef: { name: awsCredentialsSecret(p), namespace: ir.gateway.kubernetes.namespace }, profile: 'default' },
    };
  }
  findings.push({
    ruleId: 'target-approximated',
    severity: 'warning',
    resource: `Provider/${p.name}`,
    path: ['spec', 'aws', 'roleArn'],
    message: `Envoy AI Gateway cannot assume role ${aws.roleArn} with a web identity token file: it signs provider ${p.name}'s calls with its own default AWS credential chain (the role of its pods' service account, with EKS IRSA or Pod Identity)`,
    hint: 'grant that role access to Bedrock, or use an access key pair',
  });
  return { region: aws.region };
}
