import { formatPath } from '../../kernel/paths.ts';
import type { AnyResource, DocPath } from '../../kernel/resource.ts';
import type { Finding, Rule } from '../rule.ts';
import { knownSecretKind, secretKind } from '../../kernel/secrets.ts';

export const noLiteralCredentials: Rule = {
  id: 'no-literal-credentials',
  description: 'No credential is written as a literal value in any field of any resource.',
  rationale:
    'Whatever is committed reaches every clone, fork, CI log and build artifact; a key in YAML is a leaked key. ' +
    'Configs hold references (`env:NAME`, `file:/path`, `k8s:secret/key`), never values.',
  defaultSeverity: 'error',
  docs:
    'Finds OpenAI (`sk-`, `sk-proj-`), Anthropic (`sk-ant-`), AWS (`AKIA`/`ASIA`), GitLab (`glpat-` ...), GitHub and Google ' +
    'API keys, PEM private keys and JSON Web Tokens in every string (and key) of every document, and random-looking ' +
    'values in credential-like fields (`password`, `apiKey`, `token`, `Authorization` ...). The report names the kind ' +
    'of secret and where it is, never the value. Move the value to a secret store, reference it, and rotate it: it is ' +
    'in the Git history.',
  *check(ctx) {
    for (const resource of ctx.resources) yield* scan(resource, resource.value, [], [], undefined);
  },
};

const HINT = 'Store it as a secret and reference it (`env:NAME`, `file:/path` or `k8s:secret/key`); rotate it, since Git history keeps it.';

/** `shown` is the path as reported: a key that is itself a secret is masked there. */
function* scan(resource: AnyResource, node: unknown, path: DocPath, shown: DocPath, key: string | number | undefined): Generator<Finding> {
  if (typeof node === 'string') {
    const kind = secretKind(node, key);
    if (kind) yield { resource, path, message: `A literal ${kind} is written at \`${formatPath(shown)}\`.`, hint: HINT };
    return;
  }
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield* scan(resource, node[i], [...path, i], [...shown, i], key);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [k, value] of Object.entries(node)) {
    const keyKind = knownSecretKind(k);
    if (keyKind)
      yield {
        resource,
        path: [...path, k],
        message: `A literal ${keyKind} is written as a key under \`${formatPath(shown)}\`.`,
        hint: HINT,
      };
    yield* scan(resource, value, [...path, k], [...shown, keyKind ? '<redacted>' : k], k);
  }
}
