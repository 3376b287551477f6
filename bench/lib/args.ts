// The command lines of the bench and script entry points: node:util parseArgs plus what it lacks for people:
// `--help`, and a one-line diagnostic with exit code 2 (not a stack trace) for an unknown option, a missing
// value or a bad number.
import { parseArgs } from 'node:util';

export interface OptionSpec {
  /** `number`: a number; `numbers`: a comma-separated list of them; both are checked and returned parsed. */
  type: 'boolean' | 'string' | 'number' | 'numbers';
  /** One line for --help. */
  description: string;
  default?: string | number | readonly number[];
  short?: string;
  /** Numbers only: the smallest allowed value. */
  min?: number;
  /** Numbers only: whole numbers only. */
  integer?: boolean;
  /** What the value is, for --help (`DIR`, `FILE`); numbers and choices name themselves. */
  value?: string;
  /** Strings only: the allowed values. */
  choices?: readonly string[];
  /** Strings only: the option must be given. */
  required?: boolean;
}

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** How the script is started, e.g. `bench/gateway.ts`: the prefix of every diagnostic. */
  script: string;
  /** What the script does, one line. */
  summary: string;
  options: O;
  /** One required positional argument, e.g. `PROFILE.cpuprofile`. */
  positional?: { name: string; description: string };
}

type Parsed<S extends OptionSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['type'] extends 'number'
    ? number
    : S['type'] extends 'numbers'
      ? number[]
      : string;

export type Values<O extends Record<string, OptionSpec>> = {
  [K in keyof O]: O[K]['type'] extends 'boolean'
    ? boolean
    : O[K] extends { default: unknown } | { required: true }
      ? Parsed<O[K]>
      : Parsed<O[K]> | undefined;
};

export type ParseOutcome<O extends Record<string, OptionSpec>> =
  | { ok: true; values: Values<O>; positional: string | undefined }
  | { ok: false; exitCode: 0 | 2; stream: 'stdout' | 'stderr'; text: string };

/** Parses `argv` by `spec`; never exits, so that it can be tested. */
export function parseCommandLine<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, argv: readonly string[]): ParseOutcome<O> {
  const fail = (what: string): ParseOutcome<O> => ({ ok: false, exitCode: 2, stream: 'stderr', text: usageError(spec.script, what) });
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: nodeOptions(spec.options),
      allowPositionals: spec.positional !== undefined,
      strict: true,
    });
  } catch (error) {
    return fail(describeParseError(error));
  }
  if (parsed.values.help) return { ok: false, exitCode: 0, stream: 'stdout', text: usage(spec) };
  const values: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    const given = parsed.values[name];
    if (option.type === 'boolean') {
      values[name] = given === true;
      continue;
    }
    if (given === undefined) {
      if (option.required) return fail(`--${name} is required`);
      values[name] = option.default === undefined ? undefined : Array.isArray(option.default) ? [...option.default] : option.default;
      continue;
    }
    const text = String(given);
    if (option.type === 'string') {
      if (option.choices && !option.choices.includes(text)) return fail(`--${name} takes ${option.choices.join(' or ')}, not "${text}"`);
      values[name] = text;
      continue;
    }
    const numbers = option.type === 'numbers' ? text.split(',') : [text];
    const bad = numbers.find((n) => !validNumber(n, option));
    if (bad !== undefined) return fail(`--${name} takes ${numberKind(option)}, not "${bad}"`);
    values[name] = option.type === 'numbers' ? numbers.map(Number) : Number(text);
  }
  const positional = parsed.positionals[0];
  if (spec.positional && parsed.positionals.length !== 1)
    return fail(`takes one ${spec.positional.name}, got ${parsed.positionals.length}`);
  return { ok: true, values: values as Values<O>, positional };
}

/** A whole number from 1 (rounds, runs, requests, connections), with its default. */
export function count(fallback: number, description: string) {
  return { type: 'number', integer: true, min: 1, default: fallback, description } as const;
}

/** The gateway benches' `--baseline`: an older build measured beside this one. */
export const BASELINE_GATEWAY = {
  type: 'string',
  value: 'OLD/gateway.mjs',
  description: "another build's gateway.mjs, measured beside this one on the same config",
} as const;

/** The entry points' use: the parsed values, or the usage / diagnostic printed and the process ended. */
export function commandLine<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: readonly string[] = process.argv.slice(2),
): { values: Values<O>; positional: string | undefined } {
  const outcome = parseCommandLine(spec, argv);
  if (outcome.ok) return outcome;
  process[outcome.stream].write(outcome.text);
  process.exit(outcome.exitCode);
}

/** A usage error found after parsing (a value the option table cannot check): the same diagnostic, exit 2. */
export function exitWithUsageError(script: string, what: string): never {
  process.stderr.write(usageError(script, what));
  process.exit(2);
}

function usageError(script: string, what: string): string {
  return `${script}: ${what}\nrun with --help for the options\n`;
}

function nodeOptions(options: Record<string, OptionSpec>) {
  const result: Record<string, { type: 'boolean' | 'string'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, option] of Object.entries(options)) {
    result[name] = { type: option.type === 'boolean' ? 'boolean' : 'string', ...(option.short ? { short: option.short } : {}) };
  }
  return result;
}

/** parseArgs's own messages suggest `--` tricks and end in a stack trace; say what is wrong in our words. */
function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message: string };
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('argument missing') ? `${option} needs a value` : `${option} takes no value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}`.trimEnd();
    default:
      throw error;
  }
}

function validNumber(text: string, option: OptionSpec): boolean {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && (!option.integer || Number.isInteger(n)) && n >= (option.min ?? -Infinity);
}

function numberKind(option: OptionSpec): string {
  const kind = option.integer ? 'a whole number' : 'a number';
  const list = option.type === 'numbers' ? `a comma-separated list of ${kind.replace('a ', '')}s` : kind;
  return option.min === undefined ? list : `${list} from ${option.min}`;
}

function usage(spec: CommandSpec<Record<string, OptionSpec>>): string {
  const rows = Object.entries(spec.options).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : ''}--${name}${option.type === 'boolean' ? '' : ` ${placeholder(option)}`}`;
    const fallback = option.default === undefined ? '' : ` (default ${[option.default].flat().join(',')})`;
    return [flag, `${option.description}${option.required ? ' (required)' : ''}${fallback}`] as const;
  });
  rows.push(['-h, --help', 'print this help and exit']);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const positional = spec.positional ? ` ${spec.positional.name}` : '';
  return [
    `usage: npx tsx ${spec.script}${positional} [options]`,
    spec.summary,
    '',
    ...(spec.positional ? [`  ${spec.positional.name.padEnd(width)}  ${spec.positional.description}`] : []),
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    '',
  ].join('\n');
}

function placeholder(option: OptionSpec): string {
  if (option.choices) return option.choices.join('|');
  return option.type === 'numbers' ? 'N,N' : option.type === 'number' ? 'N' : (option.value ?? 'VALUE');
}
