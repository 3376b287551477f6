// The developer portal as people use it: `modelgate portal` on a copy of acme (with an MCP server and a hostile
// description), opened from file:// in headless Chromium. The search filters, every link resolves inside the site,
// nothing is fetched, and "request access" opens a GitLab new-file URL whose file `modelgate validate` accepts in
// the repo and which grants the team the route. Screenshots of the catalogue and a service page land in
// out/portal-test/ (git-ignored).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileProject } from '../pipeline/compile.ts';
import { PACKAGE_ROOT } from '../schema/package-root.ts';
import { chromiumMissing, launchChromium, type Browser } from '../scripts/headless-chromium.ts';
import { runMain } from './support/run-main.ts';
import { acmeRepo } from './support/scratch-repo.ts';
import { consumersOf } from '../kernel/subjects.ts';

const PROJECT = 'https://gitlab.example/acme/ai-gateway-config';
const SCREENSHOTS = join(PACKAGE_ROOT, 'out/portal-test');
const HOSTILE = '<script>window.pwned = true</script><img src=x onerror="window.pwned = true"> EU-only chat';

const MCP_FILES = {
  'mcp/github.yaml': `apiVersion: modelgate.dev/v1
kind: McpServer
metadata:
  name: github
  description: Issues and pull requests of Acme's GitLab mirror on GitHub.
  labels: { team: platform, owner: dana.kim }
spec:
  url: https://mcp.github.example/mcp
  credential: env:GITHUB_MCP_TOKEN
  timeout: 30s
  tools:
    - { name: get_issue, risk: read, description: Read one issue. }
    - { name: list_issues, risk: read }
    - { name: create_issue, risk: write }
    - { name: delete_issue, risk: destructive }
`,
  'access/support-tools.yaml': `apiVersion: modelgate.dev/v1
kind: AccessPolicy
metadata:
  name: support-tools
  description: The support team's agents read issues.
  labels: { team: support, owner: li.wei }
spec:
  subjects: { labels: { team: support } }
  mcp:
    servers: [{ name: github, tools: [get_issue, list_issues] }]
    callsPerMinute: 30
`,
};

const missing = chromiumMissing();
if (missing) process.stdout.write(`test/portal-site.test.ts: skipped, ${missing}\n`);

describe.skipIf(missing)(`the developer portal in headless Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let repo: string;
  let site: string;
  let browser: Browser;
  let pages: string[];

  /** A page of the site that records any console error, script error or request that leaves file://. */
  async function watched(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => !r.url().startsWith('file://') && problems.push(`request: ${r.url()}`));
    await page.setViewportSize({ width: 1200, height: 900 });
    return { page, problems };
  }

  async function open(path: string): Promise<{ page: Page; problems: string[] }> {
    const opened = await watched();
    await opened.page.goto(pathToFileURL(join(site, path)).href);
    return opened;
  }

  const validate = async () => JSON.parse((await runMain('validate', repo, '--env', 'all', '--format', 'json')).stdout).summary;

  beforeAll(async () => {
    repo = acmeRepo('mg-portal-site-').dir;
    for (const [file, text] of Object.entries(MCP_FILES)) {
      mkdirSync(join(repo, file, '..'), { recursive: true });
      writeFileSync(join(repo, file), text);
    }
    const route = join(repo, 'routes/chat-eu.yaml');
    writeFileSync(route, readFileSync(route, 'utf8').replace(/description: .*/, `description: '${HOSTILE}'`));
    site = join(repo, '.public');
    const run = await runMain(
      'portal',
      repo,
      '--env',
      'prod',
      '--out',
      site,
      '--gateway-url',
      'https://llm.acme.example',
      '--gitlab-project-url',
      PROJECT,
    );
    expect(run.code, run.stderr).toBe(0);
    pages = ['index.html', ...['routes', 'prompts', 'mcp'].flatMap((d) => readdirSync(join(site, d)).map((f) => `${d}/${f}`))].sort();
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it('shows the catalogue of routes, prompt APIs and MCP servers, the hostile description as text', async () => {
    const { page, problems } = await open('index.html');
    const sections = await page.$$eval('section.kind h2', (hs) => hs.map((h) => h.textContent));
    expect(sections).toEqual(['Model routes (6)', 'Prompt APIs (6)', 'MCP servers (3)']);
    const chatEu = page.locator('li.entry', { has: page.locator('a.name', { hasText: /^chat-eu$/ }) });
    expect(await chatEu.locator('p').first().textContent()).toBe(HOSTILE);
    expect(await page.evaluate(() => (globalThis as { pwned?: boolean }).pwned)).toBeUndefined();
    await page.screenshot({ path: join(SCREENSHOTS, 'catalogue.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('filters the catalogue as one types: every word must match, whole sections hide, "nothing matches" shows', async () => {
    const { page, problems } = await open('index.html');
    const shown = () => page.$$eval('li.entry:not([hidden]) a.name', (as) => as.map((a) => a.textContent));
    await page.fill('#search', 'embed');
    expect(await shown()).toEqual(['embeddings']);
    expect(await page.textContent('#count')).toBe('1 of 15 shown');
    // Words are ANDed; a team finds what it owns and what it may use.
    await page.fill('#search', 'support haiku');
    expect(await shown()).toEqual(['chat-default', 'summarize']);
    await page.fill('#search', 'github');
    expect(await shown()).toEqual(['github']);
    expect(await page.isVisible('section#routes')).toBe(false);
    await page.fill('#search', 'no-such-thing');
    expect(await shown()).toEqual([]);
    expect(await page.isVisible('#none')).toBe(true);
    await page.fill('#search', '');
    expect(await shown()).toHaveLength(15);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('every link of every page resolves inside the site, every page is reached, the only other links go to GitLab', async () => {
    const seen = new Set<string>(['index.html']);
    const queue = ['index.html'];
    const external = new Set<string>();
    const root = pathToFileURL(`${site}/`).href;
    const { page, problems } = await watched();
    while (queue.length) {
      const path = queue.shift()!;
      await page.goto(pathToFileURL(join(site, path)).href);
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => (a as unknown as { href: string }).href));
      expect(problems, path).toEqual([]);
      for (const href of hrefs) {
        if (!href.startsWith('file://')) {
          expect(href.startsWith(`${PROJECT}/-/`), `${path} links to ${href}`).toBe(true);
          external.add(new URL(href).pathname.split('/-/')[1]!.split('/')[0]!);
          continue;
        }
        expect(href.startsWith(root), `${path} links outside the site: ${href}`).toBe(true);
        const target = decodeURIComponent(href.slice(root.length).replace(/#.*$/, ''));
        expect(existsSync(join(site, target)), `${path} links to missing ${target}`).toBe(true);
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    await page.close();
    expect([...seen].sort()).toEqual(pages);
    expect([...external].sort()).toEqual(['blob', 'new']);
  }, 60_000);

  it('"request access" opens GitLab\'s new-file page with an AccessPolicy that validates and grants the team the route', async () => {
    const before = await validate();
    expect(before).toMatchObject({ errors: 0, warnings: 0, infos: 0 });
    const { page, problems } = await open('routes/chat-premium.html');
    await page.selectOption('#request select', 'support');
    const href = await page.getAttribute('#request a.button', 'href');
    await page.screenshot({ path: join(SCREENSHOTS, 'route-chat-premium.png'), fullPage: true });
    const url = new URL(href!);
    expect(`${url.origin}${url.pathname}`).toBe(`${PROJECT}/-/new/main/access`);
    const fileName = url.searchParams.get('file_name')!;
    const content = url.searchParams.get('content')!;
    expect(fileName).toBe('support-chat-premium.yaml');
    expect(await page.textContent('#request pre code')).toBe(content);
    expect(await page.textContent('#request .file-name')).toBe(fileName);
    expect(problems).toEqual([]);
    await page.close();

    expect(parse(content)).toMatchObject({
      kind: 'AccessPolicy',
      spec: { subjects: { labels: { team: 'support' } }, routes: ['chat-premium'] },
    });
    writeFileSync(join(repo, url.pathname.split('/-/new/main/')[1]!, fileName), content);
    expect(await validate()).toEqual({ ...before, filesChecked: before.filesChecked + 1 });
    const ir = compileProject(repo, { env: 'prod' }).ir!;
    const granted = ir.accessPolicies.find((p) => p.name === 'support-chat-premium')!;
    expect(granted.subjects).toEqual({ consumers: [], labels: { team: 'support' } });
    expect(consumersOf(ir)(granted)).toEqual(['support-bot', 'support-desk']);
    expect(granted.routes).toEqual(['chat-premium']);
  });
});
