import { credentialsSecretKey, parseSecretRef, secretEnvName } from '../../kernel/secret-env.ts';
import type { AnyResource, DocPath } from '../../kernel/resource.ts';
import type { Rule } from '../rule.ts';

/** A whole string that is a secret reference (the schemas' `secretRef` pattern). */
const REFERENCE = /^(env:[A-Za-z_][A-Za-z0-9_]*|file:\/\S+|k8s:[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[-._a-zA-Z0-9]+)$/;

export const secretReferencesDistinct: Rule = {
  id: 'secret-references-distinct',
  description: 'Two different secret references never reach the gateway under the same environment variable or Secret key.',
  rationale:
    'The gateway reads each reference from an environment variable (`k8s:llm-keys/openai` from ' +
    '`MODELGATE_SECRET_LLM_KEYS_OPENAI`), and the k8s target wires each Secret key to that name. `k8s:a-b/c` and ' +
    '`k8s:a/b-c` both become `MODELGATE_SECRET_A_B_C`: one would silently replace the other, and a service would ' +
    'be sent another service’s credential. Likewise the k8s target reads `env:` and `file:` references from keys of ' +
    'the `modelgate-credentials` Secret (`env:Foo` and `env:FOO` from `foo`, `file:/a/foo` from `foo`).',
  defaultSeverity: 'error',
  reads: { kinds: 'all' },
  *check(ctx) {
    const first = new Map<string, { ref: string; resource: AnyResource }>();
    for (const resource of ctx.resources) {
      for (const [ref, path, places] of referencesOf(resource)) {
        for (const place of places) {
          const seen = first.get(place);
          if (!seen) first.set(place, { ref, resource });
          else if (seen.ref !== ref) {
            yield {
              resource,
              path,
              message: `Secret reference ${ref} reaches the gateway as ${place}, like ${seen.ref} in ${seen.resource.id}.`,
              hint: 'Rename one of the secrets so that their names differ by more than case, `-`, `.`, `/` and the folder.',
            };
            break;
          }
        }
      }
    }
  },
};

/**
 * The references of a resource and where the gateway reads each from (its environment variable, and its key of the
 * k8s target's Secret), found once per value: values never change once loaded, and the rule reads every resource,
 * so that the language server runs it over the whole repo after each edit.
 */
const found = new WeakMap<object, [ref: string, path: DocPath, places: string[]][]>();

function referencesOf(resource: AnyResource): [ref: string, path: DocPath, places: string[]][] {
  let list = found.get(resource.value);
  if (!list) {
    list = [...references(resource.value.spec, ['spec'])].map(([ref, path]) => [ref, path, places(ref)]);
    found.set(resource.value, list);
  }
  return list;
}

function places(ref: string): string[] {
  const parsed = parseSecretRef(ref);
  const env = secretEnvName(parsed);
  const key = credentialsSecretKey(parsed);
  return [...(env ? [`variable ${env}`] : []), ...(key ? [`Secret key ${key}`] : [])];
}

/** Every string of `value` that is a secret reference (env, file or k8s), with its path. */
function* references(value: unknown, path: DocPath): Generator<[string, DocPath]> {
  if (typeof value === 'string') {
    if (REFERENCE.test(value)) yield [value, path];
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* references(value[i], [...path, i]);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) yield* references(v, [...path, key]);
  }
}
