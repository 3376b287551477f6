// How the benchmark runs Spectral: the installed CLI with bench/spectral-ruleset.yaml over every YAML file.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandLine } from './measure.ts';

export const SPECTRAL_RULESET = fileURLToPath(new URL('../spectral-ruleset.yaml', import.meta.url));

function spectralBin(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('@stoplight/spectral-cli/package.json');
  const bin = (require(pkgPath) as { bin: string | Record<string, string> }).bin;
  return join(dirname(pkgPath), typeof bin === 'string' ? bin : bin.spectral);
}

/** `spectral lint "**\/*.yaml"` in `repo`; extra arguments (a format) are appended. */
export function spectralLint(repo: string, extra: string[] = []): CommandLine {
  return {
    command: process.execPath,
    args: [spectralBin(), 'lint', '**/*.yaml', '--ruleset', SPECTRAL_RULESET, ...extra],
    cwd: repo,
  };
}
