import { READS_ITSELF } from '../../kernel/reads.ts';
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
  reads: READS_ITSELF,
  docs:
    'Finds OpenAI (`sk-`, `sk-proj-`), Anthropic (`sk-ant-`), AWS (`AKIA`/`ASIA`), GitLab (`glpat-` ...), GitHub and Google ' +
    'API keys, PEM private keys and JSON Web Tokens in every string (and key) of every document, and random-looking ' +
    'values in credential-like fields (`password`, `apiKey`, `token`, `Authorization` ...). The report names the kind ' +
    'of secret and where it is, never the value. Move the value to a secret store, reference it, and rotate it: it is ' +
    'in the Git history.',
  *check(ctx) {
    for (const resource of ctx.resources) {
      for (const found of scanned(resource.value)) yield { resource, ...found };
    }
  },
};

/**
 * The findings in a document, by its value: values are never changed once loaded, and a resource no overlay
 * touches keeps its value in every environment, so each is scanned once per compile (and per edit in an editor).
 */
const scans = new WeakMap<object, Omit<Finding, 'resource'>[]>();

function scanned(value: AnyResource['value']): Omit<Finding, 'resource'>[] {
  let found = scans.get(value);
  if (!found) scans.set(value, (found = [...scan(value, [], [], undefined)]));
  return found;
}

const HINT = 'Store it as a secret and reference it (`env:NAME`, `file:/path` or `k8s:secret/key`); rotate it, since Git history keeps it.';

/** `shown` is the path as reported: a key that is itself a secret is masked there. */
function* scan(node: unknown, path: DocPath, shown: DocPath, key: string | number | undefined): Generator<Omit<Finding, 'resource'>> {
  if (typeof node === 'string') {
    const kind = secretKind(node, key);
    if (kind) yield { path, message: `A literal ${kind} is written at \`${formatPath(shown)}\`.`, hint: HINT };
    return;
  }
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield* scan(node[i], [...path, i], [...shown, i], key);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [k, value] of Object.entries(node)) {
    const keyKind = knownSecretKind(k);
    if (keyKind)
      yield {
        path: [...path, k],
        message: `A literal ${keyKind} is written as a key under \`${formatPath(shown)}\`.`,
        hint: HINT,
      };
    yield* scan(value, [...path, k], [...shown, keyKind ? '<redacted>' : k], k);
  }
}
