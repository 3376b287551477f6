// Descriptions of the checks the compiler itself makes, for reports that list their rules (SARIF).
// Lint rules and Policy documents arrive through the `rules` report option instead.

export interface RuleMeta {
  id: string;
  description: string;
  helpUri?: string;
}

export const CORE_RULES: readonly RuleMeta[] = [
  { id: 'yaml-syntax', description: 'The file is not valid YAML.' },
  { id: 'yaml-too-deep', description: 'YAML nesting is deeper than any modelgate resource needs.' },
  { id: 'yaml-alias-bomb', description: 'YAML aliases expand too much (billion-laughs protection).' },
  { id: 'duplicate-key', description: 'A mapping has the same key twice; one value would silently win.' },
  { id: 'forbidden-key', description: 'A key such as __proto__ that could alter object prototypes.' },
  { id: 'file-too-large', description: 'A YAML file is over the size limit and was not read.' },
  { id: 'path-escapes-root', description: 'A symbolic link points outside the config root.' },
  { id: 'not-a-resource', description: 'A YAML document is not a resource mapping.' },
  { id: 'unknown-api-version', description: 'apiVersion is missing or not modelgate.dev/v1.' },
  { id: 'unknown-kind', description: 'kind is missing or not a modelgate kind.' },
  { id: 'duplicate-resource', description: 'Two documents declare the same kind/name.' },
  { id: 'single-gateway', description: 'A config repo declares exactly one Gateway.' },
  { id: 'schema', description: "A resource does not match its kind's JSON Schema." },
  { id: 'reference', description: 'A reference names a resource, model or version that does not exist.' },
  { id: 'unknown-variable', description: 'A ${{ vars.NAME }} placeholder names no variable of the environment.' },
  { id: 'codeowners-stale', description: 'The modelgate section of CODEOWNERS is not what the ownership labels say (run modelgate owners).' },
];

/** The given rules first, then core rules, then a plain entry for any other id a finding carries. */
export function rulesFor(ruleIds: Iterable<string>, given: readonly RuleMeta[] = []): RuleMeta[] {
  const known = new Map<string, RuleMeta>();
  for (const rule of [...CORE_RULES, ...given]) known.set(rule.id, rule);
  return [...new Set(ruleIds)].sort().map((id) => known.get(id) ?? { id, description: `Finding of rule ${id}.` });
}
