// The portal's pages: the catalogue (index.html) and one page per route, prompt and MCP server.
import type { IRAccessPolicy, IRModel, IRModelRef, IRPrompt, IRRoute, IRMcpServer } from '../../compiler/ir/types.ts';
import { type Catalogue, type Entry, exposeOf } from './catalogue.ts';
import { type Example, mcpExamples, promptExamples, routeExamples } from './examples.ts';
import { codeBlock, definitions, link, page, REQUEST_SCRIPT, SEARCH_SCRIPT, t, table } from './layout.ts';
import { accessRequest, fillRequest, requestUrl } from './request-access.ts';

const SECTIONS: { key: 'routes' | 'prompts' | 'mcpServers'; title: string; blurb: string }[] = [
  { key: 'routes', title: 'Model routes', blurb: 'Public model names for the OpenAI, Anthropic and Responses APIs.' },
  { key: 'prompts', title: 'Prompt APIs', blurb: 'Reviewed prompts served as endpoints of their own.' },
  { key: 'mcpServers', title: 'MCP servers', blurb: "Agents' tools behind the gateway's /mcp endpoint." },
];

export function indexPage(catalogue: Catalogue): string {
  const { ir, gatewayUrl } = catalogue.input;
  const all = SECTIONS.flatMap((s) => catalogue[s.key]);
  const sections = SECTIONS.filter((s) => catalogue[s.key].length).map(
    (s) =>
      `<section class="kind" id="${s.key}"><h2>${t(s.title)} <span class="muted">(${catalogue[s.key].length})</span></h2>` +
      `<p class="muted">${t(s.blurb)}</p><ul class="entries">${catalogue[s.key].map((e) => card(e, catalogue)).join('')}</ul></section>`,
  );
  const body = `<header><h1>${t(ir.gateway.name)} developer portal</h1>
<p class="muted">Environment <b>${t(ir.environment.name)}</b> (${t(ir.environment.tier)}) · gateway <code>${t(gatewayUrl)}</code> ·
${all.length} services. Call them with your consumer's API key as <code>Authorization: Bearer</code>; ask for access from a service's page.</p></header>
<input type="search" id="search" placeholder="Search routes, prompts, MCP servers, teams, models…" aria-label="Search the catalogue" autocomplete="off">
<p class="muted" id="count">${all.length} of ${all.length} shown</p>
<p id="none" hidden>Nothing matches. Try a shorter word, a team or a model name.</p>
${sections.join('\n')}`;
  return page({ title: `${ir.gateway.name} developer portal`, body, footer: footer(catalogue), script: SEARCH_SCRIPT });
}

function card(entry: Entry, catalogue: Catalogue): string {
  const teams = [...new Set(entry.grants.flatMap((g) => g.teams))];
  const meta = [
    ...ownership(entry),
    summary(entry, catalogue),
    teams.length ? `used by ${teams.join(', ')}` : entry.grants.length ? '' : 'no access granted yet',
  ].filter(Boolean);
  return `<li class="entry" data-search="${t(entry.search)}">${link(entry.page, entry.name, 'name')}<span class="badge">${t(kindLabel(entry))}</span>
<p>${t(entry.description) || '<span class="muted">No description.</span>'}</p><p class="meta">${t(meta.join(' · '))}</p></li>`;
}

function summary(entry: Entry, catalogue: Catalogue): string {
  const { ir } = catalogue.input;
  if (entry.kind === 'Route') {
    const route = ir.routes.find((r) => r.name === entry.name)!;
    return route.targets.map((ref) => `${ref.provider}/${ref.model}`).join(', ');
  }
  if (entry.kind === 'Prompt') {
    const prompt = ir.prompts.find((p) => p.name === entry.name)!;
    const expose = exposeOf(prompt);
    return expose ? `${expose.method} ${expose.path}` : `POST /v1/prompts/${prompt.name}`;
  }
  const tools = ir.mcpServers?.find((s) => s.name === entry.name)?.tools;
  return tools ? `${tools.length} tool${tools.length === 1 ? '' : 's'}` : 'tools listed by the server';
}

export function entryPage(entry: Entry, catalogue: Catalogue): string {
  const { ir, gatewayUrl } = catalogue.input;
  let sections: string[];
  let examples: Example[];
  if (entry.kind === 'Route') {
    const route = ir.routes.find((r) => r.name === entry.name)!;
    sections = routeSections(route, catalogue);
    examples = routeExamples(route, gatewayUrl);
  } else if (entry.kind === 'Prompt') {
    const prompt = ir.prompts.find((p) => p.name === entry.name)!;
    sections = promptSections(prompt, catalogue);
    examples = promptExamples(prompt, gatewayUrl);
  } else {
    const server = ir.mcpServers!.find((s) => s.name === entry.name)!;
    sections = mcpSections(server, catalogue);
    examples = mcpExamples(server, gatewayUrl);
  }
  const body = `<header><p class="crumbs">${link('../index.html', 'Catalogue')} › ${t(kindLabel(entry))}</p>
<h1>${t(entry.name)}</h1><p>${t(entry.description) || '<span class="muted">No description.</span>'}</p>
${definitions(overview(entry, catalogue))}</header>
${sections.join('\n')}
<h2>Who has access</h2>${accessTable(entry)}
<h2>Examples</h2><p class="muted">Set <code>MODELGATE_API_KEY</code> to your consumer's key.</p>
${examples.map((e) => `<h3>${t(e.title)}</h3>${codeBlock(e.code)}`).join('\n')}
${requestSection(entry, catalogue)}`;
  return page({ title: `${entry.name} · ${ir.gateway.name} developer portal`, body, footer: footer(catalogue), script: REQUEST_SCRIPT });
}

function overview(entry: Entry, catalogue: Catalogue): [string, string][] {
  const { gitlab, repoPrefix, resources } = catalogue.input;
  const file = resources.find((r) => r.kind === entry.kind && r.name === entry.name)?.file;
  const path = [repoPrefix, file].filter(Boolean).join('/');
  const labels = Object.entries(entry.labels).filter(([k]) => k !== 'team' && k !== 'owner');
  return [
    ['owner', t(entry.labels.owner ?? 'unknown')],
    ['team', t(entry.labels.team ?? 'unknown')],
    ...(labels.length ? [['labels', t(labels.map(([k, v]) => `${k}: ${v}`).join(', '))] as [string, string]] : []),
    ...(file
      ? [
          [
            'declared in',
            gitlab
              ? link(`${gitlab.projectUrl.replace(/\/+$/, '')}/-/blob/${encodePath(gitlab.branch)}/${encodePath(path)}`, path)
              : `<code>${t(path)}</code>`,
          ] as [string, string],
        ]
      : []),
  ];
}

function routeSections(route: IRRoute, catalogue: Catalogue): string[] {
  const api = route.type === 'embeddings' ? '/v1/embeddings' : '/v1/chat/completions, /v1/messages, /v1/responses';
  const models = table(
    ['provider/model', 'weight', 'input $/1M', 'output $/1M', 'context', 'note'],
    [
      ...route.targets.map((ref) => modelRow(ref, `${ref.weight}`, catalogue)),
      ...route.fallbacks.map((ref, i) => modelRow(ref, `fallback ${i + 1}`, catalogue)),
    ],
    [1, 2, 3, 4],
  );
  const aliases = [...(route.aliases?.exact ?? []), ...(route.aliases?.patterns ?? [])];
  const limits: [string, string][] = [
    ['timeout', `${route.timeoutMs / 1000} s`],
    ['retries', `${route.retry.attempts} (on ${route.retry.statuses.join(', ')}${route.retry.onTimeout ? ', timeouts' : ''})`],
    ['max tokens', route.maxTokens === undefined ? 'the model’s' : `${route.maxTokens}`],
    ['cache', route.cache.enabled ? `exact match, ${route.cache.ttlMs / 1000} s` : 'off'],
    ['request body', `${Math.round(catalogue.input.ir.gateway.limits.maxBodyBytes / 1024)} KiB at most`],
  ];
  const onRoute = new Set(catalogue.input.ir.prompts.filter((p) => p.route === route.name).map((p) => p.name));
  const prompts = catalogue.prompts.filter((p) => onRoute.has(p.name));
  return [
    `<h2>Endpoint</h2>${definitions([
      ['model', `<code>${t(route.name)}</code>`],
      ['APIs', `<code>${t(api)}</code>`],
      ['aliases', aliases.length ? aliases.map((a) => `<code>${t(a)}</code>`).join(' ') : 'none'],
    ])}`,
    `<h2>Models and prices</h2>${models}`,
    `<h2>Limits</h2>${definitions(limits.map(([k, v]) => [k, t(v)]))}`,
    ...(prompts.length ? [`<h2>Prompts on this route</h2><p>${prompts.map((p) => link(`../${p.page}`, p.name)).join(', ')}</p>`] : []),
  ];
}

function modelRow(ref: IRModelRef, weight: string, catalogue: Catalogue): string[] {
  const model = findModel(ref, catalogue);
  const price = (p: number | null | undefined) => (p === null || p === undefined ? '—' : `$${p}`);
  const note = [model?.deprecated ? 'deprecated' : '', model?.version ? `version ${model.version}` : ''].filter(Boolean).join(', ');
  return [
    `<code>${t(`${ref.provider}/${ref.model}`)}</code>`,
    t(weight),
    t(price(model?.inputPricePer1M)),
    t(price(model?.outputPricePer1M)),
    t(model?.contextWindow ? `${model.contextWindow}` : '—'),
    t(note),
  ];
}

function findModel(ref: IRModelRef, catalogue: Catalogue): IRModel | undefined {
  return catalogue.input.ir.providers.find((p) => p.name === ref.provider)?.models.find((m) => m.name === ref.model);
}

function promptSections(prompt: IRPrompt, catalogue: Catalogue): string[] {
  const expose = exposeOf(prompt);
  const route = catalogue.routes.find((r) => r.name === prompt.route);
  const endpoints: [string, string][] = [
    ...(expose ? [['its own', `<code>${t(`${expose.method} ${expose.path}`)}</code>`] as [string, string]] : []),
    ['generic', `<code>POST /v1/prompts/${t(prompt.name)}</code> with <code>{"variables": {...}}</code>, answered like a chat completion`],
    ['route', route ? link(`../${route.page}`, route.name) : t(prompt.route)],
  ];
  const contract = expose
    ? `<h3>Request body (JSON Schema)</h3>${codeBlock(json(expose.request))}` +
      (expose.response
        ? `<h3>Response (JSON Schema): the answer is this JSON object</h3>${codeBlock(json(expose.response))}`
        : '<p>The answer is a chat completion (no response schema).</p>')
    : '';
  const split = table(
    ['version', 'share of traffic', 'temperature', 'max tokens'],
    Object.keys(prompt.versions).map((name) => {
      const v = prompt.versions[name]!;
      const weight = prompt.serve.find((s) => s.version === name)?.weight ?? 0;
      return [
        t(name),
        t(`${weight}%`),
        t(v.temperature === undefined ? '—' : `${v.temperature}`),
        t(v.maxTokens === undefined ? '—' : `${v.maxTokens}`),
      ];
    }),
    [1, 2, 3],
  );
  const versions = Object.entries(prompt.versions).map(
    ([name, v]) => `<h3>${t(name)}</h3>${codeBlock(v.messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n'))}`,
  );
  return [
    `<h2>Endpoint</h2>${definitions(endpoints)}${contract}`,
    `<h2>Versions and A/B split</h2>${split}${versions.join('')}`,
    `<h2>Variables (JSON Schema)</h2>${codeBlock(json(prompt.variables))}`,
  ];
}

function mcpSections(server: IRMcpServer, catalogue: Catalogue): string[] {
  const tools = server.tools
    ? table(
        ['tool', 'risk', 'description'],
        server.tools.map((tool) => [
          `<code>${t(`${server.name}__${tool.name}`)}</code>`,
          `<span class="badge risk-${t(tool.risk)}">${t(tool.risk)}</span>`,
          t(tool.description ?? ''),
        ]),
      )
    : '<p>The catalogue is not pinned in Git: the server lists its tools, filtered by each consumer’s grants.</p>';
  return [
    `<h2>Endpoint</h2>${definitions([
      ['URL', `<code>${t(`${catalogue.input.gatewayUrl}/mcp`)}</code> (Streamable HTTP; every granted server behind one endpoint)`],
      ['tool names', `<code>${t(server.name)}__&lt;tool&gt;</code>`],
      ['timeout', t(`${server.timeoutMs / 1000} s`)],
    ])}`,
    `<h2>Tools</h2>${tools}`,
  ];
}

function accessTable(entry: Entry): string {
  if (!entry.grants.length) return '<p>No access policy grants it yet.</p>';
  const mcp = entry.kind === 'McpServer';
  const head = [
    'access policy',
    'teams',
    'consumers',
    ...(mcp ? ['tools', 'calls/min'] : ['requests/min', 'tokens/min', 'budget/month', 'models']),
  ];
  const rows = entry.grants.map(({ policy, consumers, teams }) => [
    `${t(policy.name)}${policy.labels.owner ? `<br><span class="meta">owner ${t(policy.labels.owner)}</span>` : ''}`,
    t(teams.join(', ') || '—'),
    t(consumers.join(', ') || 'none yet'),
    ...(mcp ? mcpGrantCells(policy, entry.name) : limitCells(policy)),
  ]);
  return table(head, rows, mcp ? [4] : [3, 4, 5]);
}

function limitCells(policy: IRAccessPolicy): string[] {
  const { limits } = policy;
  const budget = limits.monthlyBudgetUsd === undefined ? '—' : `$${limits.monthlyBudgetUsd}`;
  return [
    t(`${limits.requestsPerMinute ?? '—'}`),
    t(`${limits.tokensPerMinute ?? '—'}`),
    t(budget),
    t(policy.allowedModels?.join(', ') ?? 'all of the route'),
  ];
}

function mcpGrantCells(policy: IRAccessPolicy, server: string): string[] {
  const grants = policy.mcp?.servers.filter((g) => g.server === server) ?? [];
  const tools = grants.map((g) => g.tools.join(', ') + (g.excludeTools.length ? ` except ${g.excludeTools.join(', ')}` : '')).join('; ');
  return [t(tools), t(`${policy.mcp?.callsPerMinute ?? '—'}`)];
}

function requestSection(entry: Entry, catalogue: Catalogue): string {
  const request = accessRequest(entry, catalogue);
  const first = request.options[0];
  if (!first) return '';
  const content = fillRequest(request.template, first.values);
  const options = request.options.map(
    ({ requester, values, hasAccess }) =>
      `<option value="${t(requester.name)}" data-name="${t(values.name)}" data-team="${t(values.team)}" data-owner="${t(values.owner)}" data-subject="${t(values.subject)}">${t(requester.name)}${hasAccess ? ' (has access)' : ''}</option>`,
  );
  const where = `<code class="file-name">${t(`${first.values.name}.yaml`)}</code> in <code>${t(catalogue.accessDir || '.')}/</code>`;
  const action = request.base
    ? `<p>${link(requestUrl(request.base, first.values, content), 'Open the merge request in GitLab', 'button')}</p>
<p class="muted">GitLab opens a new file ${where} with the policy below; commit it to a new branch and start the merge request. The owners approve it there.</p>`
    : `<p class="muted">Add this file as ${where} in a merge request; the owners approve it there. (Built without <code>--gitlab-project-url</code>, so there is no link to GitLab.)</p>`;
  return `<section id="request" data-template="${t(request.template)}" data-base="${t(request.base ?? '')}">
<h2>Request access</h2><p><label>Your team <select>${options.join('')}</select></label></p>
${action}${codeBlock(content)}</section>`;
}

function ownership(entry: Entry): string[] {
  return [entry.labels.team ? `team ${entry.labels.team}` : '', entry.labels.owner ? `owner ${entry.labels.owner}` : ''].filter(Boolean);
}

function kindLabel(entry: Entry): string {
  return entry.kind === 'Route' ? 'route' : entry.kind === 'Prompt' ? 'prompt API' : 'MCP server';
}

function footer(catalogue: Catalogue): string {
  const { ir } = catalogue.input;
  return `Generated by <code>modelgate portal</code> from the reviewed config of environment ${t(ir.environment.name)}; every change to it goes through a merge request.`;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
