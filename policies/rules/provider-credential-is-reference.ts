import type { DocPath } from '../../kernel/resource.ts';
import type { Rule } from '../rule.ts';

/** Provider types served by a vendor that always wants an API key. */
const HOSTED = new Set(['openai', 'anthropic', 'azure-openai', 'gemini']);
const AUTH_HEADER = /^(?:authorization|proxy-authorization|x-api-key|api-key|openai-api-key|x-goog-api-key|x-amz-security-token)$/i;
const REFERENCE = /^(?:env|file|k8s):/;
/** The secrets a `bedrock` provider signs with. */
const AWS_SECRETS = ['accessKeyId', 'secretAccessKey', 'sessionToken'] as const;

export const providerCredentialIsReference: Rule = {
  id: 'provider-credential-is-reference',
  description:
    'Providers and MCP servers get their credential from `spec.credential` (a `bedrock` provider its keys from `spec.aws`) as secret references: never in headers, URLs or as a value. Nor do the URLs of remote guardrail checkers and of the OTLP exporter carry one.',
  rationale:
    'Only `spec.credential` is treated as a secret by every target (SDS files for Envoy, `secretKeyRef` for Kubernetes, ' +
    'masked in logs); the same key in a header or a URL would be copied into plain config and logs.',
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['Provider', 'McpServer', 'Guardrail', 'Gateway'] },
  *check(ctx) {
    for (const provider of ctx.byKind('Provider')) {
      const spec = provider.value.spec;
      if (spec.credential === undefined && HOSTED.has(spec.type)) {
        yield {
          resource: provider,
          path: ['spec', 'type'],
          message: `Provider ${provider.name} (type ${spec.type}) has no credential; its API refuses calls without one.`,
          hint: 'Add `credential: env:OPENAI_API_KEY` (or `file:` / `k8s:`) to the spec.',
        };
      }
      const secrets: [DocPath, string | undefined][] = [
        [['spec', 'credential'], spec.credential],
        ...AWS_SECRETS.map((key): [DocPath, string | undefined] => [['spec', 'aws', key], spec.aws?.[key]]),
      ];
      for (const [path, value] of secrets) {
        if (value === undefined || REFERENCE.test(value)) continue;
        yield {
          resource: provider,
          path,
          message: `The ${path.at(-1)} of provider ${provider.name} is not a secret reference.`,
          hint: 'Write `env:NAME`, `file:/path` or `k8s:secret/key`; never the key itself.',
        };
      }
      for (const name of Object.keys(spec.headers ?? {})) {
        if (!AUTH_HEADER.test(name)) continue;
        yield {
          resource: provider,
          path: ['spec', 'headers', name],
          message: `Provider ${provider.name} sets the credential header \`${name}\` in plain config.`,
          hint: 'Remove the header and set `spec.credential`; the gateway sends it in the header the provider type expects.',
        };
      }
      const inUrl = credentialInUrl(spec.baseUrl);
      if (inUrl)
        yield {
          resource: provider,
          path: ['spec', 'baseUrl'],
          message: `The baseUrl of provider ${provider.name} carries ${inUrl}.`,
          hint: URL_HINT,
        };
    }
    for (const server of ctx.byKind('McpServer')) {
      const inUrl = credentialInUrl(server.value.spec.url);
      if (inUrl)
        yield {
          resource: server,
          path: ['spec', 'url'],
          message: `The url of MCP server ${server.name} carries ${inUrl}.`,
          hint: URL_HINT,
        };
    }
    for (const guardrail of ctx.byKind('Guardrail')) {
      for (const [check, field] of REMOTE_CHECKER_URLS) {
        const url = (guardrail.value.spec.check as Record<string, Record<string, unknown> | undefined>)[check]?.[field];
        const inUrl = credentialInUrl(typeof url === 'string' ? url : undefined);
        if (inUrl)
          yield {
            resource: guardrail,
            path: ['spec', 'check', check, field],
            message: `The ${check} ${field} of guardrail ${guardrail.name} carries ${inUrl}.`,
            hint:
              check === 'presidio'
                ? 'Remove it from the URL: Presidio takes no credential, keep it on a network only the gateway reaches.'
                : 'Remove it from the URL and use `credential` (a secret reference), which the gateway sends as a bearer token.',
          };
      }
    }
    for (const gateway of ctx.byKind('Gateway')) {
      const inUrl = credentialInUrl(gateway.value.spec.telemetry?.otlp?.endpoint);
      if (inUrl)
        yield {
          resource: gateway,
          path: ['spec', 'telemetry', 'otlp', 'endpoint'],
          message: `The OTLP endpoint of gateway ${gateway.name} carries ${inUrl}.`,
          hint: 'Remove it from the URL and send it in `headers`, as a secret reference (`x-api-key: env:OTLP_API_KEY`).',
        };
    }
  },
};

const URL_HINT = 'Remove it from the URL and use `spec.credential` (a secret reference), which the gateway sends as a header.';
/** The URLs a remote guardrail checker is called at, by checker. */
const REMOTE_CHECKER_URLS = [
  ['webhook', 'url'],
  ['moderation', 'url'],
  ['presidio', 'analyzerUrl'],
  ['presidio', 'anonymizerUrl'],
] as const;
/** Query parameters that hold a credential in the APIs that take one in the URL. */
const CREDENTIAL_PARAM = /^(?:api[-_]?key|key|token|access[-_]?token|auth|secret|password|sig|signature)$/i;

/** What in a URL is a credential (`user:password@`, `?api_key=`), or undefined. */
function credentialInUrl(url: string | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  if (parsed.username !== '' || parsed.password !== '') return 'a user name or password';
  const param = [...parsed.searchParams.keys()].find((k) => CREDENTIAL_PARAM.test(k));
  return param === undefined ? undefined : `a credential in its query (\`${param}\`)`;
}
