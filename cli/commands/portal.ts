// `modelgate portal`: write the developer portal of one environment, a static site for GitLab Pages.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { repositoryPrefix, repositoryRoot } from '../../reports/formats/repository-root.ts';
import { plural } from '../../reports/formats/summary.ts';
import { PAGE_FOLDERS } from '../../reports/portal/catalogue.ts';
import { renderPortal } from '../../reports/portal/index.ts';
import { setExitCode } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../exit-codes.ts';
import { addProjectOptions, compileEnvironment } from '../project-options.ts';

interface PortalOptions {
  env: string;
  out: string;
  gatewayUrl?: string;
  gitlabProjectUrl?: string;
  branch: string;
  maxFileBytes: number;
}

export function register(program: Command): void {
  addProjectOptions(
    program
      .command('portal')
      .description('write a static developer portal of one environment: routes, prompt APIs and MCP servers, with access requests')
      .requiredOption('-e, --env <name>', 'environment to publish')
      .option('-o, --out <dir>', 'output directory (GitLab Pages publishes public/)', 'public')
      .option('--gateway-url <url>', 'the gateway as clients reach it, for the examples (default: $MODELGATE_GATEWAY_URL)')
      .option('--gitlab-project-url <url>', 'the config repo in GitLab, for "request access" links (default: $CI_PROJECT_URL)')
      .option('--branch <name>', 'the branch access requests start from (default: $CI_DEFAULT_BRANCH, else main)')
      .addHelpText(
        'after',
        `
Examples:
  $ modelgate portal . --env prod --gateway-url https://llm.acme.example --out public
  $ modelgate portal fixtures/acme --env prod --gitlab-project-url https://gitlab.example/acme/ai-gateway-config

The site needs no server: open public/index.html, or publish public/ with GitLab Pages (the template's pages job).`,
      ),
  ).action((dir: string, opts: PortalOptions, command: Command) => {
    const gatewayUrl = url('--gateway-url', opts.gatewayUrl ?? process.env.MODELGATE_GATEWAY_URL);
    const projectUrl = url('--gitlab-project-url', opts.gitlabProjectUrl ?? process.env.CI_PROJECT_URL);
    const branch = opts.branch ?? (process.env.CI_DEFAULT_BRANCH || 'main');
    const env = compileEnvironment(dir, opts.env, opts.maxFileBytes);
    if (!env?.ir) return setExitCode(command, EXIT_FINDINGS);
    const { listen } = env.ir.gateway;
    const files = renderPortal({
      ir: env.ir,
      resources: env.resources,
      gatewayUrl: gatewayUrl ?? `http://localhost:${listen.port}`,
      ...(projectUrl ? { gitlab: { projectUrl, branch } } : {}),
      // Outside a git repository there is no path in GitLab to speak of.
      repoPrefix: repositoryRoot(dir) ? repositoryPrefix(dir) : '',
    });
    const out = resolve(opts.out);
    // The folders replaced below are the site's own: `--out .` at the config root would delete its routes/.
    for (const folder of Object.values(PAGE_FOLDERS)) {
      const held = env.resources.find((r) => resolve(dir, r.file).startsWith(join(out, folder, sep)));
      if (held)
        throw new UsageError(
          `--out ${opts.out}: its ${folder}/ holds config files (${held.file}), which the portal would replace. Write the portal to a folder of its own, such as public/.`,
        );
    }
    // Pages of resources that are gone must not linger from an earlier run.
    for (const stale of ['index.html', ...Object.values(PAGE_FOLDERS)]) rmSync(join(out, stale), { recursive: true, force: true });
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(out, path)), { recursive: true });
      writeFileSync(join(out, path), content);
    }
    if (!gatewayUrl)
      process.stderr.write(`note: no --gateway-url (or MODELGATE_GATEWAY_URL): the examples call http://localhost:${listen.port}.\n`);
    if (!projectUrl)
      process.stderr.write(
        'note: no --gitlab-project-url (or CI_PROJECT_URL): access requests show the file to add, without a GitLab link.\n',
      );
    process.stdout.write(`Wrote the ${env.environment.name} portal: ${plural(Object.keys(files).length, 'page')} in ${opts.out}\n`);
    setExitCode(command, EXIT_OK);
  });
}

/** An http(s) URL without a trailing slash, or undefined when not given. */
function url(option: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new UsageError(`${option} expects an http(s) URL, got "${value}".`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new UsageError(`${option} expects an http(s) URL, got "${value}".`);
  return value.replace(/\/+$/, '');
}
