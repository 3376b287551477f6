// What a change to a prompt does to its own endpoint, in the words its callers need: "+ serves POST /review",
// "- BREAKING response: required field `severity` removed". Field diffs say which line moved; these say what it
// means for a caller, each schema difference judged by who writes the values (schema-compat.ts).
import { defaultRequestSchema } from '../../compiler/ir/prompt-contract.ts';
import type { Prompt } from '../../schema/types.ts';
import { type Direction, isBreaking, schemaChanges } from './schema-compat.ts';

interface Contract {
  endpoint: string;
  request: unknown;
  response: unknown;
}

/** One line per endpoint or contract change; `-` and BREAKING for what breaks existing callers. */
export function promptContractEffects(before: unknown, after: unknown): string[] {
  const [was, now] = [contractOf(before), contractOf(after)];
  if (!was && !now) return [];
  if (!was) return [`+ serves ${now!.endpoint}, answering ${answer(now!)}`];
  if (!now) return [`- BREAKING: no longer serves ${was.endpoint}`];
  const lines: string[] = [];
  if (was.endpoint !== now.endpoint) lines.push(`- BREAKING: moves from ${was.endpoint} to ${now.endpoint}`);
  if ((was.response === undefined) !== (now.response === undefined))
    lines.push(`- BREAKING response: now ${answer(now)} (was ${answer(was)})`);
  else if (now.response !== undefined) lines.push(...schemaLines(was.response, now.response, 'response'));
  lines.push(...schemaLines(was.request, now.request, 'request'));
  return lines;
}

function contractOf(value: unknown): Contract | undefined {
  const spec = (value as Prompt | undefined)?.spec;
  const expose = spec?.expose;
  if (!expose) return undefined;
  return {
    endpoint: `${expose.method ?? 'POST'} ${expose.path}`,
    request: expose.request ?? defaultRequestSchema(spec.variables ?? { type: 'object' }),
    response: expose.response,
  };
}

const answer = (c: Contract) => (c.response === undefined ? 'a chat completion' : 'a JSON object of its response schema');

function schemaLines(before: unknown, after: unknown, direction: Direction): string[] {
  return schemaChanges(before, after).map((change) => {
    const where = change.path ? ` at ${change.path}` : '';
    return isBreaking(change, direction) ? `- BREAKING ${direction}: ${change.what}${where}` : `~ ${direction}: ${change.what}${where}`;
  });
}
