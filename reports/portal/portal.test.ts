// The portal's pages from the acme config: byte-identical, escaped, self-contained, with the prompt contract when
// the IR has one and access requests that are AccessPolicy documents. test/portal-site.test.ts opens the site in
// Chromium.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { IR } from '../../compiler/ir/types.ts';
import { compileProject } from '../../pipeline/compile.ts';
import { withMcpServers } from '../../test/support/ir-fixture.ts';
import { buildCatalogue, type PortalInput } from './catalogue.ts';
import { renderPortal } from './index.ts';
import { accessRequest, fillRequest } from './request-access.ts';

const ACME = fileURLToPath(new URL('../../fixtures/acme/', import.meta.url));
const GATEWAY = 'https://llm.acme.example';
const PROJECT = 'https://gitlab.example/acme/ai-gateway-config';

function acmeInput(change: (ir: IR) => void = () => {}): PortalInput {
  const env = compileProject(ACME, { env: 'prod' }).environments[0]!;
  const ir = structuredClone(env.ir!);
  change(ir);
  return { ir, resources: env.resources, gatewayUrl: GATEWAY, gitlab: { projectUrl: PROJECT, branch: 'main' }, repoPrefix: 'config' };
}

describe('renderPortal', () => {
  const files = renderPortal(acmeInput());

  it('writes the catalogue and one page per route, prompt and MCP server, byte-identical for the same input', () => {
    expect(Object.keys(files).sort()).toEqual([
      'index.html',
      'mcp/docs.html',
      'mcp/helpdesk.html',
      'prompts/classify-intent.html',
      'prompts/code-reviewer.html',
      'prompts/refund-explanation.html',
      'prompts/search-query-rewrite.html',
      'prompts/support-reply.html',
      'prompts/ticket-summary.html',
      'routes/chat-cheap.html',
      'routes/chat-default.html',
      'routes/chat-eu.html',
      'routes/chat-premium.html',
      'routes/embeddings.html',
      'routes/summarize.html',
    ]);
    expect(renderPortal(acmeInput())).toEqual(files);
  });

  it('loads nothing from elsewhere and names no credential: the only URLs are the gateway and the GitLab project', () => {
    for (const [path, html] of Object.entries(files)) {
      expect(html, path).not.toMatch(/<(link|script|img|iframe)[^>]+(src|href)="(?!data:)/i);
      for (const url of html.match(/https?:\/\/[^\s"'<)\\]+/g) ?? [])
        expect(
          [GATEWAY, PROJECT, 'https://sso.acme.example'].some((allowed) => url.startsWith(allowed)),
          `${path}: ${url}`,
        ).toBe(true);
      expect(html, path).not.toMatch(/env:[A-Z]|OPENAI_API_KEY|ACME_JWT_SECRET/);
    }
  });

  it('shows models with prices, limits, and who has access with their limits', () => {
    const page = files['routes/chat-default.html']!;
    expect(page).toContain(
      '<code>openai/gpt-4o-mini</code></td><td class="num">90</td><td class="num">$0.15</td><td class="num">$0.6</td>',
    );
    expect(page).toContain(
      '<td>payments</td><td>payments-api</td><td class="num">120</td><td class="num">200000</td><td class="num">$1500</td>',
    );
    expect(page).toContain('ANTHROPIC_BASE_URL&#34;: &#34;https://llm.acme.example&#34;');
    expect(page).toContain('wire_api = &#34;responses&#34;');
    const prompt = files['prompts/support-reply.html']!;
    expect(prompt).toMatch(/<td>v1<\/td><td class="num">0%<\/td>.*<td>v2<\/td><td class="num">100%<\/td>/);
    expect(prompt).toContain('POST /v1/prompts/support-reply');
  });

  it('escapes what the config says: a hostile description or label stays text', () => {
    const input = acmeInput((ir) => {
      ir.routes[0]!.labels.owner = '"><img src=x onerror=alert(1)>';
    });
    const route = input.resources.find((r) => r.id === `Route/${input.ir.routes[0]!.name}`)!;
    const description = '<script>alert("pwned")</script> & </textarea>';
    const hostile = { ...route, value: { ...route.value, metadata: { ...route.value.metadata, description } } } as typeof route;
    const html = renderPortal({ ...input, resources: input.resources.map((r) => (r === route ? hostile : r)) });
    for (const [path, page] of Object.entries(html)) {
      expect(page, path).not.toContain('<script>alert');
      expect(page, path).not.toContain('<img src=x');
      expect(page.match(/<script>/g), path).toHaveLength(1);
    }
    expect(html['index.html']).toContain('&#60;script&#62;alert(&#34;pwned&#34;)&#60;/script&#62; &#38; &#60;/textarea&#62;');
  });

  it('shows an exposed prompt’s own endpoint and contract (acme code-reviewer), and only /v1/prompts for the others', () => {
    const page = files['prompts/code-reviewer.html']!;
    expect(page).toContain('<code>POST /ai-code-reviewer</code>');
    expect(page).toContain('Response (JSON Schema): the answer is this JSON object');
    expect(page).toContain('&#34;review_comment&#34;');
    expect(page).toContain(`curl -s &#39;${GATEWAY}/ai-code-reviewer&#39;`);
    expect(page).toContain('{&#34;code_diff&#34;:&#34;&#60;code_diff&#62;&#34;}');
    expect(files['prompts/support-reply.html']).not.toContain('Response (JSON Schema)');
  });

  it('lists MCP servers with their tools, risks and grants when the config has them', () => {
    const html = renderPortal(acmeInput(withMcpServers));
    expect(html['index.html']).toContain('MCP servers');
    const github = html['mcp/github.html']!;
    expect(github).toContain('<code>github__delete_issue</code></td><td><span class="badge risk-destructive">destructive</span>');
    expect(github).toContain('<td>* except delete_*</td>');
    expect(github).toContain(`${GATEWAY}/mcp`);
    const withoutMcp = renderPortal(
      acmeInput((ir) => {
        ir.mcpServers = [];
        for (const p of ir.accessPolicies) delete p.mcp;
      }),
    );
    expect(withoutMcp['index.html']).not.toContain('MCP servers (');
  });
});

describe('access requests', () => {
  const input = acmeInput(withMcpServers);
  const catalogue = buildCatalogue(input);
  const entry = (name: string) => [...catalogue.routes, ...catalogue.prompts, ...catalogue.mcpServers].find((e) => e.name === name)!;

  it("offers each team, those without access first, with the team's owner", () => {
    const request = accessRequest(entry('chat-premium'), catalogue);
    expect(request.options.map((o) => [o.requester.name, o.requester.owner, o.hasAccess])).toEqual([
      ['search', 'priya.nair', false],
      ['support', 'li.wei', false],
      ['payments', 'marta.silva', true],
    ]);
    expect(request.base).toBe(`${PROJECT}/-/new/main/config/access?file_name=`);
  });

  it('fills an AccessPolicy granting the resource to the team, even for a team label with quotes and a line break', () => {
    const request = accessRequest(entry('refund-explanation'), catalogue);
    const policy = parse(fillRequest(request.template, request.options[0]!.values));
    expect(policy).toMatchObject({
      kind: 'AccessPolicy',
      metadata: { name: 'search-refund-explanation', labels: { team: 'search', owner: 'priya.nair' } },
      spec: { subjects: { labels: { team: 'search' } }, prompts: ['refund-explanation'], limits: { requestsPerMinute: 60 } },
    });
    const odd = buildCatalogue(acmeInput((ir) => (ir.consumers[0]!.labels.team = 'Data "Science"\n# team')));
    const values = accessRequest(entry('refund-explanation'), odd).options.find((o) => o.requester.team.startsWith('Data'))!.values;
    const filled = parse(fillRequest(request.template, values));
    expect(filled.metadata.name).toBe('data-science-team-refund-explanation');
    expect(filled.spec.subjects.labels.team).toBe('Data "Science"\n# team');
  });

  it("checks personal data as the route's other policies do, so production's pii rule holds for the new policy", () => {
    const fill = (name: string) => {
      const request = accessRequest(entry(name), catalogue);
      return parse(fillRequest(request.template, request.options[0]!.values));
    };
    // support grants chat-default with customer-pii (and no-credentials, not a personal-data check).
    expect(fill('chat-default').spec.guardrails).toEqual(['customer-pii']);
    // chat-premium checks personal data itself.
    expect(fill('chat-premium').spec.guardrails).toBeUndefined();
  });

  it('grants the read tools of a pinned MCP server by name, never the destructive ones', () => {
    const request = accessRequest(entry('github'), catalogue);
    const policy = parse(fillRequest(request.template, request.options[0]!.values));
    expect(policy.spec.mcp).toEqual({ servers: [{ name: 'github', tools: ['get_issue', 'list_issues'] }], callsPerMinute: 60 });
  });

  it('takes another name when the team already has a policy of that name', () => {
    const taken = buildCatalogue(acmeInput((ir) => ir.accessPolicies.push({ ...ir.accessPolicies[0]!, name: 'search-chat-premium' })));
    const request = accessRequest(taken.routes.find((r) => r.name === 'chat-premium')!, taken);
    expect(request.options[0]!.values.name).toBe('search-chat-premium-2');
  });
});
