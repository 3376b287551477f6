// The rules findings are reported under. The compiler's own checks (loader, schemas, references, overlays, the
// policy engine, targets) are registered here; built-in lint rules carry the same facts in their modules
// (policies/rules/), and users name their Policy documents. Reports describe each rule from this (SARIF).

/** How much a finding matters; `error` fails the run. */
export type Severity = 'error' | 'warning' | 'info';

export interface RuleInfo {
  id: string;
  /** One line: what a finding of the rule means. */
  title: string;
  /** What to do about it, or why the rule exists. */
  help: string;
  defaultSeverity: Severity;
}

type CoreRule = Omit<RuleInfo, 'id'>;

const error = (title: string, help: string): CoreRule => ({ title, help, defaultSeverity: 'error' });
const warning = (title: string, help: string): CoreRule => ({ title, help, defaultSeverity: 'warning' });

export const CORE_RULES = {
  'yaml-syntax': error('The file is not valid YAML.', 'Fix the YAML syntax at the position shown.'),
  'yaml-too-deep': error('YAML nesting is deeper than any modelgate resource needs.', 'Flatten the structure.'),
  'yaml-alias-bomb': error(
    'YAML aliases expand too much (billion-laughs protection).',
    'Write the repeated values out, or use fewer aliases.',
  ),
  'yaml-recursive-alias': error(
    'A YAML alias is inside the node it refers to.',
    'Point the alias at a node outside its anchor, or write the value out.',
  ),
  'yaml-complex-key': error('A mapping key is an alias, a list, a mapping or binary data.', 'Write the key out as a plain string.'),
  'duplicate-key': error('A mapping has the same key twice; one value would silently win.', 'Remove one of the two keys.'),
  'forbidden-key': error('A key such as __proto__ that could alter object prototypes.', 'Rename or remove the key.'),
  'file-too-large': error(
    'A YAML file is over the size limit and was not read.',
    'Split it into smaller files, or raise the limit with --max-file-bytes.',
  ),
  'path-escapes-root': error('A symbolic link points outside the config root.', 'Copy the file into the repo, or remove the link.'),
  'not-a-resource': error(
    'A YAML document is not a resource mapping.',
    'A document is a mapping with apiVersion, kind, metadata and spec.',
  ),
  'unknown-api-version': error('apiVersion is missing or not modelgate.dev/v1.', 'Set apiVersion: modelgate.dev/v1.'),
  'unknown-kind': error('kind is missing or not a modelgate kind.', 'Use one of the kinds `modelgate schema` lists.'),
  'duplicate-resource': error(
    'Two documents declare the same kind/name.',
    'Names are unique per kind across the repo: rename or remove one.',
  ),
  'single-gateway': error('A config repo declares exactly one Gateway.', 'Merge the Gateway documents into one.'),
  schema: error(
    "A resource does not match its kind's JSON Schema.",
    'Fix the value as the message says; `modelgate schema` publishes the schemas for editors.',
  ),
  reference: error('A reference names a resource, model or version that does not exist.', 'Declare what is referenced, or fix the name.'),
  'unknown-variable': error(
    'A ${{ vars.NAME }} placeholder names no variable of the environment.',
    "Add the variable to the Environment's spec.variables.",
  ),
  'mcp-grant': warning(
    'An MCP grant overlaps another of the same policy, or names what its server does not have.',
    'Merge the overlapping grants, or fix the name; the message says which.',
  ),
  'plan-failed': error(
    'A plan could not be made at all (no such base, say).',
    'Check the --base ref or directory; the message says what failed.',
  ),
  'codeowners-stale': error(
    'The modelgate section of CODEOWNERS is not what the ownership labels say.',
    'Run `modelgate owners` and commit CODEOWNERS.',
  ),
  'rules-config': warning(
    'A rule setting names no rule or environment, or is malformed.',
    'Run `modelgate rules` for the built-in rule ids.',
  ),
  'policy-invalid': error('A Policy document cannot be compiled or run as written.', 'Fix the policy: it checks nothing until then.'),
  'exception-unknown-rule': error(
    'A PolicyException waives a rule that does not exist.',
    'Name a rule id from `modelgate rules` or the metadata.name of a Policy.',
  ),
  'exception-expired': error(
    'A PolicyException is past its expiry date; the findings it waived count again.',
    'Fix the findings and delete the exception, or agree a new expiry date with its owner.',
  ),
  'exception-unused': warning(
    'A PolicyException waives nothing in this environment.',
    'Delete it if the findings are fixed, or limit it with spec.environments.',
  ),
  'target-invalid': error(
    'A target cannot build a valid artifact from this value.',
    'Fix the value; the message says what the target needs.',
  ),
  'target-limit': error("The config exceeds a limit of the target's platform.", 'Split the resource, or build another target.'),
  'target-unsupported': warning(
    'A target cannot express a configured feature.',
    'docs/targets.md says what each target does instead; use the node target where the feature matters.',
  ),
  'target-approximated': warning(
    'A target expresses a configured feature only approximately.',
    'docs/targets.md says how the target approximates it.',
  ),
  'target-delegated': warning(
    'A target leaves a feature to the Node gateways behind it.',
    'Deploy the node target behind this one for these requests.',
  ),
} satisfies Record<string, CoreRule>;

export type CoreRuleId = keyof typeof CORE_RULES;

declare const named: unique symbol;
/** The id of a built-in lint rule or the name of a Policy document: an id that comes with its rule, as data. */
export type NamedRuleId = string & { readonly [named]: true };
/** What a finding's `ruleId` is: a core rule's literal id (a typo fails to compile), or a named rule's id. */
export type RuleId = CoreRuleId | NamedRuleId;

export const namedRuleId = (id: string): NamedRuleId => id as NamedRuleId;

export const coreRules = (): RuleInfo[] => Object.entries(CORE_RULES).map(([id, rule]) => ({ id, ...rule }));
