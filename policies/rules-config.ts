// Rule severities from modelgate.config.yaml and Environment documents, resolved for one environment.
import type { Diagnostic, Location } from '../kernel/diagnostics.ts';
import type { Resource } from '../kernel/resource.ts';
import { didYouMean } from '../kernel/suggest.ts';
import { SCHEMA_ENUMS } from '../schema/values.ts';

/** A rule's severity, or `off`: what an Environment's `spec.rules` allows, and so modelgate.config.yaml too. */
export const RULE_LEVELS = SCHEMA_ENUMS.Environment['spec.rules.*'];
export type RuleLevel = (typeof RULE_LEVELS)[number];

/** One `rule: level` line of a config file, with where it was written. */
export interface RuleSetting {
  rule: string;
  level: RuleLevel;
  /** Set for lines under `environments.<name>.rules`. */
  environment?: string;
  location: Location;
}

/** Settings in the order they were read: extended files first, so that later lines win. */
export interface RulesConfig {
  settings: readonly RuleSetting[];
}

export const EMPTY_RULES_CONFIG: RulesConfig = { settings: [] };

export interface ResolvedLevels {
  /** Level set for a rule id or Policy name in this environment; undefined keeps the rule's own severity. */
  levels: ReadonlyMap<string, RuleLevel>;
  diagnostics: Diagnostic[];
}

/**
 * Precedence, lowest first: the rule's default, config `rules`, config `environments.<env>.rules`, then the
 * Environment document's `spec.rules`. Within one layer a later line (the extending file) wins.
 */
export function resolveRuleLevels(
  config: RulesConfig,
  environment: string,
  environments: readonly Resource<'Environment'>[],
  known: ReadonlySet<string>,
): ResolvedLevels {
  const diagnostics: Diagnostic[] = [];
  const envNames = environments.map((e) => e.name);
  const unknown = (rule: string, at: Location, resource?: string): void => {
    diagnostics.push({
      ruleId: 'rules-config',
      severity: 'warning',
      message: `"${rule}" is neither a built-in rule nor a Policy; the setting has no effect.${didYouMean(rule, known)}`,
      hint: 'Run `modelgate rules` for the built-in rule ids.',
      resource,
      ...at,
    });
  };
  for (const s of config.settings) {
    if (!known.has(s.rule)) unknown(s.rule, s.location);
    if (s.environment !== undefined && !envNames.includes(s.environment)) {
      diagnostics.push({
        ruleId: 'rules-config',
        severity: 'warning',
        message: `Environment "${s.environment}" is not declared; its rule settings have no effect.${didYouMean(s.environment, envNames)}`,
        ...s.location,
      });
    }
  }
  const levels = new Map<string, RuleLevel>();
  for (const s of config.settings) if (s.environment === undefined) levels.set(s.rule, s.level);
  for (const s of config.settings) if (s.environment === environment) levels.set(s.rule, s.level);
  for (const env of environments) {
    for (const [rule, level] of Object.entries(env.value.spec?.rules ?? {})) {
      if (!known.has(rule)) unknown(rule, env.locate(['spec', 'rules', rule]), env.id);
      else if (env.name === environment) levels.set(rule, level);
    }
  }
  return { levels, diagnostics };
}
