// `modelgate init`: scaffolds a small working config repo from templates/starter (plus the GitLab CI file).
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { PACKAGE_ROOT } from '../../schema/package-root.ts';
import { setExitCode } from '../command.ts';
import { EXIT_OK, UsageError } from '../exit-codes.ts';

export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');

/** Entries that may already be in a fresh folder: `git init` comes before `modelgate init`. */
const IGNORED_ENTRIES = new Set(['.git']);

export interface ScaffoldOptions {
  force?: boolean;
  templatesDir?: string;
}

/** Copies the starter (and `.gitlab-ci.yml` when its template exists) into `dir`; returns the files written. */
export function scaffold(dir: string, options: ScaffoldOptions = {}): string[] {
  const templates = options.templatesDir ?? TEMPLATES_DIR;
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${dir} exists and is not a folder.`);
    const present = readdirSync(dir).filter((e) => !IGNORED_ENTRIES.has(e));
    if (present.length && !options.force) {
      throw new UsageError(
        `${dir} is not empty (${present.length} entries). Choose an empty folder, or pass --force to write the starter files over it.`,
      );
    }
  }
  const starter = join(templates, 'starter');
  const copies = filesUnder(starter).map((file) => ({ from: join(starter, file), to: file }));
  const ci = join(templates, 'gitlab-ci.yml');
  if (existsSync(ci)) copies.push({ from: ci, to: '.gitlab-ci.yml' });
  for (const { from, to } of copies) {
    mkdirSync(dirname(join(dir, to)), { recursive: true });
    copyFileSync(from, join(dir, to));
  }
  return copies.map((c) => c.to).sort();
}

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((entry) => statSync(join(root, entry)).isFile())
    .map((entry) => relative(root, join(root, entry)).split('\\').join('/'))
    .sort();
}

export function register(program: Command): void {
  program
    .command('init')
    .description('scaffold a working example config repo (gateway, providers, routes, prompts, access, environments, GitLab CI)')
    .argument('[dir]', 'folder to create the config repo in', '.')
    .option('--force', 'write into a folder that is not empty, replacing files of the same name')
    .addHelpText(
      'after',
      `
Examples:
  $ modelgate init my-gateway
  $ git init ai-config && modelgate init ai-config`,
    )
    .action((dir: string, opts: { force?: boolean }, command: Command) => {
      const written = scaffold(dir, { force: opts.force });
      process.stdout.write(
        [
          `Created a modelgate config repo in ${dir}:`,
          ...written.map((f) => `  ${f}`),
          '',
          'Next:',
          `  cd ${dir}`,
          '  npx modelgate validate . --env prod',
          '',
        ].join('\n'),
      );
      setExitCode(command, EXIT_OK);
    });
}
