// "Request access": an AccessPolicy granting one route, prompt or MCP server to the requester's team, opened in
// GitLab's new-file page (`<project>/-/new/<branch>/<dir>?file_name=...&content=...`), so that the merge request
// adding it is where the owners approve. The page holds the file as a template; picking a team fills it (the same
// substitution as `fillRequest`, in the page's script) and the default team's file is filled here, for browsers
// without script.
import type { Catalogue, Entry, Requester } from './catalogue.ts';

/** Suggested limits: the owners see them in the merge request and may ask for others. */
const SUGGESTED_LIMITS = { requestsPerMinute: 60, tokensPerMinute: 100_000, monthlyBudgetUsd: 100 };
const SUGGESTED_TOOL_CALLS_PER_MINUTE = 60;
/** Without a pinned catalogue the tool names are unknown here: read-only-looking globs, to be named in review. */
const UNPINNED_TOOL_GLOBS = ['get_*', 'list_*', 'search_*'];

/** What the page's script substitutes in the template, per requester. */
export type RequestValues = Record<'name' | 'team' | 'owner' | 'subject', string>;

const PLACEHOLDER = /__(NAME|TEAM|OWNER|SUBJECT)__/g;

export interface AccessRequest {
  template: string;
  /** The new-file URL up to the file name, when the GitLab project is known. */
  base?: string;
  /** Requesters with what their file needs; the first is the default. */
  options: { requester: Requester; values: RequestValues; hasAccess: boolean }[];
}

export function accessRequest(entry: Entry, catalogue: Catalogue): AccessRequest {
  const { gitlab } = catalogue.input;
  const taken = new Set(catalogue.input.ir.accessPolicies.map((p) => p.name));
  const teams = new Set(entry.grants.flatMap((g) => g.teams));
  const consumers = new Set(entry.grants.flatMap((g) => g.consumers));
  const options = catalogue.requesters
    .map((requester) => ({
      requester,
      values: requestValues(entry, requester, taken),
      hasAccess: 'labels' in requester.subject ? teams.has(requester.team) : requester.subject.consumers.every((c) => consumers.has(c)),
    }))
    // Those who lack access first: they are who asks.
    .sort((a, b) => Number(a.hasAccess) - Number(b.hasAccess));
  return {
    template: template(entry, catalogue),
    ...(gitlab ? { base: newFileBase(gitlab, catalogue.accessDir) } : {}),
    options,
  };
}

export function fillRequest(template: string, values: RequestValues): string {
  return template.replace(PLACEHOLDER, (_, key: string) => values[key.toLowerCase() as keyof RequestValues]);
}

export function requestUrl(base: string, values: RequestValues, content: string): string {
  return `${base}${encodeURIComponent(`${values.name}.yaml`)}&content=${encodeURIComponent(content)}`;
}

function newFileBase(gitlab: { projectUrl: string; branch: string }, dir: string): string {
  const path = [gitlab.branch, ...dir.split('/').filter(Boolean)].map(encodeURIComponent).join('/');
  return `${gitlab.projectUrl.replace(/\/+$/, '')}/-/new/${path}?file_name=`;
}

function template(entry: Entry, catalogue: Catalogue): string {
  const { environment } = catalogue.input.ir;
  const owners = [entry.labels.team && `team ${entry.labels.team}`, entry.labels.owner].filter(Boolean).map((s) => oneLine(s!));
  return [
    `# Asks for ${entry.kind} ${entry.name} (environment ${environment.name}), from the modelgate portal.`,
    `# Its owners${owners.length ? ` (${owners.join(', ')})` : ''} approve this merge request: check the team, owner and limits.`,
    'apiVersion: modelgate.dev/v1',
    'kind: AccessPolicy',
    'metadata:',
    '  name: __NAME__',
    `  description: ${JSON.stringify(`Access to ${entry.kind} ${entry.name}, requested from the modelgate portal.`)}`,
    '  labels:',
    '    team: __TEAM__',
    '    owner: __OWNER__',
    'spec:',
    '  subjects:',
    '    __SUBJECT__',
    ...grant(entry, catalogue),
    '',
  ].join('\n');
}

function grant(entry: Entry, catalogue: Catalogue): string[] {
  const limits = Object.entries(SUGGESTED_LIMITS).map(([k, v]) => `    ${k}: ${v}`);
  if (entry.kind === 'Route') {
    const guardrails = personalDataGuardrails(entry, catalogue);
    return [
      `  routes: [${entry.name}]`,
      ...(guardrails.length ? [`  guardrails: [${guardrails.join(', ')}]`] : []),
      '  limits:',
      ...limits,
    ];
  }
  if (entry.kind === 'Prompt') return [`  prompts: [${entry.name}]`, '  limits:', ...limits];
  const server = catalogue.input.ir.mcpServers?.find((s) => s.name === entry.name);
  const pinned = server?.tools?.filter((t) => t.risk !== 'destructive') ?? [];
  const read = pinned.filter((t) => t.risk === 'read');
  const tools = server?.tools ? (read.length ? read : pinned).map((t) => t.name) : UNPINNED_TOOL_GLOBS;
  return [
    '  mcp:',
    '    servers:',
    `      - name: ${entry.name}`,
    `        tools: [${tools.map((t) => JSON.stringify(t)).join(', ')}]`,
    `    callsPerMinute: ${SUGGESTED_TOOL_CALLS_PER_MINUTE}`,
  ];
}

/**
 * A route without a personal-data guardrail (`pii`, `presidio`) of its own: those the policies granting it attach,
 * else every one declared, so that the new team's prompts are checked as the others' are and the policy passes
 * production's `prod-access-policy-has-pii-guardrail`.
 */
function personalDataGuardrails(entry: Entry, catalogue: Catalogue): string[] {
  const { ir } = catalogue.input;
  const personal = new Set((ir.guardrails ?? []).filter((g) => g.check.type === 'pii' || g.check.type === 'presidio').map((g) => g.name));
  if (ir.routes.find((r) => r.name === entry.name)?.guardrails?.some((g) => personal.has(g))) return [];
  const attached = entry.grants.flatMap((g) => g.policy.guardrails ?? []).filter((g) => personal.has(g));
  return [...new Set(attached.length ? attached : personal)];
}

function requestValues(entry: Entry, requester: Requester, taken: ReadonlySet<string>): RequestValues {
  const subject =
    'labels' in requester.subject
      ? `labels: { team: ${JSON.stringify(requester.subject.labels.team)} }`
      : `consumers: [${requester.subject.consumers.map((c) => JSON.stringify(c)).join(', ')}]`;
  return {
    name: policyName(requester.name, entry.name, taken),
    team: JSON.stringify(requester.team),
    owner: JSON.stringify(requester.owner),
    subject,
  };
}

/** `<team>-<resource>` as a resource name (DNS label, 63 characters at most), not one of the existing policies. */
function policyName(requester: string, resource: string, taken: ReadonlySet<string>): string {
  const slug = requester
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  for (let i = 1; ; i++) {
    const suffix = i === 1 ? '' : `-${i}`;
    const name = `${slug || 'team'}-${resource}`.slice(0, 63 - suffix.length).replace(/[^a-z0-9]+$/, '') + suffix;
    if (!taken.has(name)) return name;
  }
}

/** Label values may hold line breaks; a YAML comment may not. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ');
