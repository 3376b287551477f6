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
    'Providers and MCP servers get their credential from `spec.credential` (a `bedrock` provider its keys from `spec.aws`) as secret references: never in headers, URLs or as a value; nor do the URLs of remote guardrails and of the OTLP export carry one.',
  rationale:
    'Only `spec.credential` is treated as a secret by every target (SDS files for Envoy, `secretKeyRef` for Kubernetes, ' +
    'masked in logs); the same key in a header or a URL would be copied into plain config and logs.',
  defaultSeverity: 'error',
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
    // Remote guardrail checkers' URLs and the OTLP endpoint are plain config too (config.json, the ConfigMaps).
    for (const guardrail of ctx.byKind('Guardrail')) {
      for (const [type, check] of Object.entries(guardrail.value.spec.check) as [string, Record<string, unknown>][]) {
        for (const field of GUARDRAIL_URLS) {
          const inUrl = typeof check[field] === 'string' ? credentialInUrl(check[field]) : undefined;
          if (inUrl)
            yield {
              resource: guardrail,
              path: ['spec', 'check', type, field],
              message: `The ${field} of guardrail ${guardrail.name} carries ${inUrl}.`,
              hint: 'Remove it from the URL; a moderation or webhook checker sends `check.<type>.credential` (a secret reference) as a header.',
            };
        }
      }
    }
    for (const gateway of ctx.byKind('Gateway')) {
      const inUrl = credentialInUrl(gateway.value.spec?.telemetry?.otlp?.endpoint);
      if (inUrl)
        yield {
          resource: gateway,
          path: ['spec', 'telemetry', 'otlp', 'endpoint'],
          message: `The OTLP endpoint of gateway ${gateway.name} carries ${inUrl}.`,
          hint: 'Remove it from the URL and send it in `telemetry.otlp.headers` (secret references).',
        };
    }
  },
};

/** The URL fields of the remote guardrail checkers. */
const GUARDRAIL_URLS = ['url', 'analyzerUrl', 'anonymizerUrl'];

const URL_HINT = 'Remove it from the URL and use `spec.credential` (a secret reference), which the gateway sends as a header.';
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
