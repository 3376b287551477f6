import { parseSecretRef, secretEnvName } from '../../kernel/secret-env.ts';
import type { AnyResource, DocPath } from '../../kernel/resource.ts';
import type { Rule } from '../rule.ts';

/** A whole string that is a secret reference (the schemas' `secretRef` pattern, without `file:`, which has no env name). */
const REFERENCE = /^(env:[A-Za-z_][A-Za-z0-9_]*|k8s:[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[-._a-zA-Z0-9]+)$/;

export const secretReferencesDistinct: Rule = {
  id: 'secret-references-distinct',
  description: 'Two different secret references never reach the gateway under the same environment variable.',
  rationale:
    'The gateway reads each reference from an environment variable (`k8s:llm-keys/openai` from ' +
    '`MODELGATE_SECRET_LLM_KEYS_OPENAI`), and the k8s target wires each Secret key to that name. `k8s:a-b/c` and ' +
    '`k8s:a/b-c` both become `MODELGATE_SECRET_A_B_C`: one would silently replace the other, and a service would ' +
    'be sent another service’s credential.',
  defaultSeverity: 'error',
  reads: { kinds: 'all' },
  *check(ctx) {
    const first = new Map<string, { ref: string; resource: AnyResource }>();
    for (const resource of ctx.resources) {
      for (const [ref, path, name] of referencesOf(resource)) {
        const seen = first.get(name);
        if (!seen) first.set(name, { ref, resource });
        else if (seen.ref !== ref) {
          yield {
            resource,
            path,
            message: `Secret reference ${ref} reaches the gateway as ${name}, like ${seen.ref} in ${seen.resource.id}.`,
            hint: 'Rename one of the Secrets or keys so that their names differ by more than `-`, `.` and `/`.',
          };
        }
      }
    }
  },
};

/**
 * The references of a resource and their variable names, found once per value: values never change once loaded, and the rule reads every
 * resource, so that the language server runs it over the whole repo after each edit.
 */
const found = new WeakMap<object, [ref: string, path: DocPath, envName: string][]>();

function referencesOf(resource: AnyResource): [ref: string, path: DocPath, envName: string][] {
  let list = found.get(resource.value);
  if (!list) {
    list = [...references(resource.value.spec, ['spec'])].map(([ref, path]) => [ref, path, secretEnvName(parseSecretRef(ref))!]);
    found.set(resource.value, list);
  }
  return list;
}

/** Every string of `value` that is a secret reference (env or k8s), with its path. */
function* references(value: unknown, path: DocPath): Generator<[string, DocPath]> {
  if (typeof value === 'string') {
    if (REFERENCE.test(value)) yield [value, path];
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* references(value[i], [...path, i]);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) yield* references(v, [...path, key]);
  }
}
