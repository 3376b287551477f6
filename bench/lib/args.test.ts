import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CommandSpec, type OptionSpec, parseCommandLine } from './args.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const spec = {
  script: 'bench/example.ts',
  summary: 'An example bench.',
  options: {
    quick: { type: 'boolean', description: 'a short run' },
    rounds: { type: 'number', integer: true, min: 1, default: 3, description: 'alternating rounds' },
    'duration-s': { type: 'number', description: 'seconds per lane' },
    sizes: { type: 'numbers', integer: true, min: 1, default: [1000, 10000], description: 'repo sizes' },
    layout: { type: 'string', choices: ['single', 'multi'], default: 'single', description: 'files per document' },
    out: { type: 'string', short: 'o', value: 'DIR', description: 'where to write' },
  },
} satisfies CommandSpec<Record<string, OptionSpec>>;

const defaults = { quick: false, rounds: 3, 'duration-s': undefined, sizes: [1000, 10000], layout: 'single', out: undefined };

describe('bench/lib/args: valid command lines', () => {
  it.each([
    { argv: [], values: defaults },
    { argv: ['--quick', '--rounds', '5'], values: { ...defaults, quick: true, rounds: 5 } },
    { argv: ['--rounds=7', '--duration-s', '0.5'], values: { ...defaults, rounds: 7, 'duration-s': 0.5 } },
    { argv: ['--sizes', '50,60'], values: { ...defaults, sizes: [50, 60] } },
    { argv: ['--layout', 'multi', '-o', '/tmp/x'], values: { ...defaults, layout: 'multi', out: '/tmp/x' } },
  ])('$argv', ({ argv, values }) => {
    expect(parseCommandLine(spec, argv)).toEqual({ ok: true, values, positional: undefined });
  });

  it('takes the one positional a spec asks for', () => {
    const withFile = { ...spec, positional: { name: 'FILE', description: 'the input' } };
    expect(parseCommandLine(withFile, ['in.json', '--quick'])).toMatchObject({ ok: true, positional: 'in.json', values: { quick: true } });
    expect(parseCommandLine(withFile, [])).toMatchObject({ exitCode: 2, text: expect.stringContaining('takes one FILE, got 0') });
  });
});

describe('bench/lib/args: usage errors end in exit 2 with what is wrong and where to look', () => {
  it.each([
    { argv: ['--help-me'], what: 'unknown option --help-me' },
    { argv: ['-x'], what: 'unknown option -x' },
    { argv: ['--rounds'], what: '--rounds needs a value' },
    { argv: ['--quick=yes'], what: '--quick takes no value' },
    { argv: ['--rounds', 'three'], what: '--rounds takes a whole number from 1, not "three"' },
    { argv: ['--rounds', '0'], what: '--rounds takes a whole number from 1, not "0"' },
    { argv: ['--rounds', '1.5'], what: '--rounds takes a whole number from 1, not "1.5"' },
    { argv: ['--duration-s', ''], what: '--duration-s takes a number, not ""' },
    { argv: ['--sizes', '10,,20'], what: '--sizes takes a comma-separated list of whole numbers from 1, not ""' },
    { argv: ['--sizes', '10,x'], what: '--sizes takes a comma-separated list of whole numbers from 1, not "x"' },
    { argv: ['--layout', 'flat'], what: '--layout takes single or multi, not "flat"' },
    { argv: ['stray'], what: 'unexpected argument stray' },
  ])('$argv', ({ argv, what }) => {
    expect(parseCommandLine(spec, argv)).toEqual({
      ok: false,
      exitCode: 2,
      stream: 'stderr',
      text: `bench/example.ts: ${what}\nrun with --help for the options\n`,
    });
  });

  it('names a required option that is missing', () => {
    const required = { ...spec, options: { out: { type: 'string', required: true, description: 'where to write' } } } satisfies CommandSpec<
      Record<string, OptionSpec>
    >;
    expect(parseCommandLine(required, [])).toMatchObject({
      exitCode: 2,
      text: 'bench/example.ts: --out is required\nrun with --help for the options\n',
    });
  });
});

describe('bench/lib/args: --help', () => {
  it('prints every option with its default and description to stdout and exits 0, even beside other options', () => {
    for (const argv of [['--help'], ['-h'], ['--rounds', '2', '--help']]) {
      expect(parseCommandLine(spec, argv)).toEqual({
        ok: false,
        exitCode: 0,
        stream: 'stdout',
        text: [
          'usage: npx tsx bench/example.ts [options]',
          'An example bench.',
          '',
          '  --quick                a short run',
          '  --rounds N             alternating rounds (default 3)',
          '  --duration-s N         seconds per lane',
          '  --sizes N,N            repo sizes (default 1000,10000)',
          '  --layout single|multi  files per document (default single)',
          '  -o, --out DIR          where to write',
          '  -h, --help             print this help and exit',
          '',
        ].join('\n'),
      });
    }
  });
});

describe('a real bench entry point', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'bench/gateway.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

  it('answers --help with its options on stdout and exit 0, without starting anything', () => {
    const result = run('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^usage: npx tsx bench\/gateway\.ts \[options\]\n/);
    expect(result.stdout).toContain('--rounds N');
    expect(result.stdout).toContain('(default 1)');
    expect(result.stderr).toBe('');
  });

  it('answers an unknown option with a one-line diagnostic and exit 2, no stack trace', () => {
    const result = run('--bogus');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('bench/gateway.ts: unknown option --bogus\nrun with --help for the options\n');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
