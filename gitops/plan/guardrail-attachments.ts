// What a change to an access policy or a route attaches or detaches in guardrails, in the words a reviewer needs:
// "- removes guardrail customer-pii (pii email, card; mask on request) from consumers labelled team=payments".
// Field diffs say which line moved; these say who loses or gains which check.
import type { AccessPolicy, Guardrail, Route } from '../../schema/types.ts';
import { subjectsOf } from './mcp-grants.ts';

/** The guardrails by name on one side, to say what each checks. */
export type GuardrailsByName = ReadonlyMap<string, { value: unknown }>;

/** One line per guardrail attached on one side only: `+` for the head's, `-` for the base's. */
export function guardrailEffects(
  kind: 'AccessPolicy' | 'Route',
  before: unknown,
  after: unknown,
  guardrails: { before: GuardrailsByName; after: GuardrailsByName },
): string[] {
  const was = attached(kind, before);
  const now = attached(kind, after);
  const lines: string[] = [];
  for (const name of now.names) {
    if (!was.names.includes(name)) lines.push(`+ attaches guardrail ${name}${what(guardrails.after.get(name))} to ${now.to}`);
  }
  for (const name of was.names) {
    if (!now.names.includes(name)) lines.push(`- removes guardrail ${name}${what(guardrails.before.get(name))} from ${was.to}`);
  }
  return lines;
}

function attached(kind: 'AccessPolicy' | 'Route', value: unknown): { names: string[]; to: string } {
  if (kind === 'Route') {
    const route = value as Route | undefined;
    return { names: route?.spec?.guardrails ?? [], to: `every caller of route ${route?.metadata?.name}` };
  }
  const spec = (value as AccessPolicy | undefined)?.spec;
  return { names: spec?.guardrails ?? [], to: subjectsOf(spec?.subjects) };
}

/** ` (pii email, card; mask on request)`: the checker and what a match does. */
function what(resource: { value: unknown } | undefined): string {
  const spec = (resource?.value as Guardrail | undefined)?.spec;
  if (!spec?.check) return '';
  const [type, check] = Object.entries(spec.check)[0] ?? [];
  const detail = type === 'pii' ? (check as { detectors?: string[] }).detectors?.join(', ') : undefined;
  const stage = spec.stage === 'both' ? 'request and response' : (spec.stage ?? 'request');
  return ` (${type}${detail ? ` ${detail}` : ''}; ${spec.action ?? 'block'} on ${stage})`;
}
