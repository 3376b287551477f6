import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import { namedRuleId } from '../../kernel/rule-registry.ts';
import { hasChanges, planEnvironment } from './plan.ts';
import { renderEnvironmentMarkdown, planMarker } from './render-markdown.ts';
import { renderPlanJson } from './render-json.ts';
import { renderEnvironmentText } from './render-text.ts';
import type { PlanResource } from './resource-diff.ts';

function resource(kind: PlanResource['kind'], name: string, spec: object): PlanResource {
  const file = `${kind.toLowerCase()}s/${name}.yaml`;
  return {
    id: `${kind}/${name}`,
    kind,
    name,
    file,
    value: { apiVersion: 'modelgate.dev/v1', kind, metadata: { name }, spec } as PlanResource['value'],
  };
}

function finding(ruleId: string, resourceId: string, line: number, message = `${ruleId} on ${resourceId}`): Diagnostic {
  return {
    ruleId: namedRuleId(ruleId),
    severity: 'warning',
    message,
    resource: resourceId,
    file: 'routes/chat.yaml',
    line,
    column: 3,
    endLine: line,
    endColumn: 9,
  };
}

const route = (weights: [number, number]) =>
  resource('Route', 'chat', {
    targets: [
      { provider: 'openai', model: 'gpt-4o', weight: weights[0] },
      { provider: 'anthropic', model: 'claude', weight: weights[1] },
    ],
  });
const provider = (headers: Record<string, string>) =>
  resource('Provider', 'openai', {
    type: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    credential: 'env:OPENAI_API_KEY',
    headers,
    models: [{ name: 'gpt-4o' }],
  });
const prompt = resource('Prompt', 'summarize', {
  route: 'chat',
  versions: { v1: { messages: [{ role: 'user', content: 'Sum up {{text}}' }] } },
  serve: [{ version: 'v1' }],
});
const env = resource('Environment', 'prod', { tier: 'production' });

const base = {
  resources: [route([80, 20]), provider({ 'X-Org': 'acme' }), resource('Consumer', 'legacy', { apiKeys: [] }), env],
  artifacts: { node: { 'config.json': '{\n  "weight": 80\n}\n' } },
  diagnostics: [finding('route-no-fallback', 'Route/chat', 4), finding('consumer-unused', 'Consumer/legacy', 2)],
};
const head = {
  resources: [env, prompt, route([60, 40]), provider({ 'X-Org': 'acme' })],
  artifacts: { node: { 'config.json': '{\n  "weight": 60\n}\n', 'prompts.json': '[]\n' } },
  // Same finding on another line (the file was edited above it): not new. One finding is new.
  diagnostics: [finding('route-no-fallback', 'Route/chat', 9), finding('prompt-no-schema', 'Prompt/summarize', 1)],
};

describe('planEnvironment', () => {
  const plan = planEnvironment('prod', 'main', base, head);

  it('adds, changes and destroys resources by kind/name, leaving environments out', () => {
    expect(plan.resources?.map((r) => [r.action, r.id])).toEqual([
      ['change', 'Route/chat'],
      ['add', 'Prompt/summarize'],
      ['destroy', 'Consumer/legacy'],
    ]);
    expect(plan.summary).toEqual({ add: 1, change: 1, destroy: 1 });
    expect(hasChanges(plan)).toBe(true);
  });

  it('matches findings by what they say, not by line', () => {
    expect(plan.policy?.introduced.map((d) => d.ruleId)).toEqual(['prompt-no-schema']);
    expect(plan.policy?.fixed.map((d) => d.ruleId)).toEqual(['consumer-unused']);
  });

  it('diffs artifacts per target and file', () => {
    expect(plan.artifacts?.map((a) => [a.action, `${a.target}/${a.file}`, a.added, a.removed])).toEqual([
      ['change', 'node/config.json', 1, 1],
      ['add', 'node/prompts.json', 1, 0],
    ]);
  });

  it('compares target findings only when both sides were built', () => {
    const targetFinding = finding('target-unsupported', 'Route/chat', 4);
    const unbuilt = planEnvironment('prod', 'main', { ...base, targetDiagnostics: [targetFinding] }, { ...head, artifacts: undefined });
    expect(unbuilt.policy?.fixed.map((d) => d.ruleId)).toEqual(['consumer-unused']);
    const built = planEnvironment('prod', 'main', { ...base, targetDiagnostics: [targetFinding] }, head);
    expect(built.policy?.fixed.map((d) => d.ruleId)).toEqual(['consumer-unused', 'target-unsupported']);
  });

  it('has no changes when both sides are equal', () => {
    const same = planEnvironment('prod', 'main', head, head);
    expect(same.summary).toEqual({ add: 0, change: 0, destroy: 0 });
    expect(hasChanges(same)).toBe(false);
    expect(renderEnvironmentText(same)).toContain('No changes. prod matches main.');
  });

  it('counts artifact files when the base is a build directory', () => {
    const fromBuild = planEnvironment('prod', 'build/', { artifacts: base.artifacts }, head);
    expect(fromBuild.resources).toBeUndefined();
    expect(fromBuild.policy).toBeUndefined();
    expect(fromBuild.summary).toEqual({ add: 1, change: 1, destroy: 0 });
  });

  it('masks credentials wherever they appear', () => {
    const leaky = 'sk-live-0123456789abcdefghijklmn';
    const withSecret = {
      ...head,
      resources: [...head.resources.slice(0, 3), provider({ 'X-Org': 'acme', Authorization: `Bearer ${leaky}` })],
    };
    withSecret.artifacts = { node: { ...head.artifacts.node, 'config.json': `{"headers": {"Authorization": "Bearer ${leaky}"}}\n` } };
    const p = planEnvironment('prod', 'main', base, withSecret);
    for (const out of [renderEnvironmentText(p), renderEnvironmentMarkdown(p), renderPlanJson({ environments: [p] })]) {
      expect(out).not.toContain(leaky);
      expect(out).toContain('[masked]');
    }
  });
});

describe('renderers', () => {
  const plan = planEnvironment('prod', 'main', base, head);

  it('text: Terraform-style symbols, field changes and the summary line', () => {
    const text = renderEnvironmentText(plan);
    expect(text).toContain(
      '  ~ Route/chat  routes/chat.yaml\n      ~ spec.targets[0].weight: 80 → 60\n      ~ spec.targets[1].weight: 20 → 40\n',
    );
    expect(text).toContain('  + Prompt/summarize');
    expect(text).toContain('      + spec.versions.v1.messages[0].content: "Sum up {{text}}"');
    expect(text).toContain('  - Consumer/legacy');
    expect(text).toContain('@@ -1,3 +1,3 @@\n {\n-  "weight": 80\n+  "weight": 60\n }');
    expect(text).toContain('  + introduced warning prompt-no-schema Prompt/summarize');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Plan: 1 to add, 1 to change, 1 to destroy.');
    expect(text).not.toContain('\x1b[');
    expect(renderEnvironmentText(plan, { color: true })).toContain('\x1b[33m  ~ Route/chat\x1b[0m');
  });

  it('markdown: marker first, summary line, policy table, collapsed artifact diffs', () => {
    const md = renderEnvironmentMarkdown(plan);
    expect(md.startsWith(`${planMarker('prod')}\n`)).toBe(true);
    expect(md).toContain('**Plan: 1 to add, 1 to change, 1 to destroy.**');
    expect(md).toContain(
      '**Introduced** by this change:\n\n| Severity | Rule | Resource | Finding |\n| --- | --- | --- | --- |\n| warning | `prompt-no-schema` | `Prompt/summarize` |',
    );
    expect(md).toContain(
      '**Fixed** by this change:\n\n| Severity | Rule | Resource | Finding |\n| --- | --- | --- | --- |\n| warning | `consumer-unused` | `Consumer/legacy` |',
    );
    expect(md).toContain('<details><summary>~ node/config.json (+1 -1)</summary>');
    expect(md).toContain('```diff\n~ Route/chat  routes/chat.yaml\n~     spec.targets[0].weight: 80 → 60\n');
  });

  it('markdown: a fence no config text can close, and HTML from the config escaped', () => {
    const sneaky = planEnvironment(
      'prod',
      'main',
      { ...base, artifacts: { node: {} } },
      {
        ...head,
        artifacts: { node: { 'p.md': 'text ```` breaks out\n' } },
        diagnostics: [finding('x', 'Route/chat', 1, 'bad <img src=x> | pipe')],
      },
    );
    const md = renderEnvironmentMarkdown(sneaky);
    expect(md).toContain('`````diff\n--- /dev/null');
    expect(md).toContain('bad &lt;img src=x&gt; \\| pipe');
  });

  it('markdown: leaves out the largest artifact diffs first to fit the note size', () => {
    const big = 'x'.repeat(5000);
    const large = planEnvironment(
      'prod',
      'main',
      { ...base, artifacts: { node: {} } },
      {
        ...head,
        artifacts: { node: { 'big.js': `${big}\n`, 'small.json': '{}\n' } },
      },
    );
    const md = renderEnvironmentMarkdown(large, 3000);
    expect(md.length).toBeLessThanOrEqual(3000);
    expect(md).toContain('Diff left out to fit the note');
    expect(md).toContain('+{}');
    expect(md).toContain('**Plan: 1 to add, 1 to change, 1 to destroy.**');
  });

  it('json: stable shape with printed field paths', () => {
    const json = JSON.parse(renderPlanJson({ environments: [plan] }));
    expect(json.planVersion).toBe(1);
    expect(json.environments[0].resources[0].fields[0]).toEqual({
      field: 'spec.targets[0].weight',
      op: 'change',
      path: ['spec', 'targets', 0, 'weight'],
      before: 80,
      after: 60,
    });
  });
});

describe('artifact diffs', () => {
  it('show compact JSON one value per line', () => {
    const plan = planEnvironment(
      'prod',
      'main',
      { artifacts: { node: { 'config.json': '{"routes":[{"name":"chat","weight":80}]}' } } },
      {
        artifacts: { node: { 'config.json': '{"routes":[{"name":"chat","weight":60}]}' } },
      },
    );
    expect(plan.artifacts?.[0].diff).toContain('-      "weight": 80\n+      "weight": 60\n');
    expect([plan.artifacts?.[0].added, plan.artifacts?.[0].removed]).toEqual([1, 1]);
  });
});

describe('MCP grants in the plan', () => {
  const policy = (tools: string[], excludeTools: string[] = []) =>
    resource('AccessPolicy', 'support', {
      subjects: { consumers: ['support-bot'], labels: { team: 'support' } },
      mcp: { servers: [{ name: 'github', tools, excludeTools }] },
    });

  it('says in words which tools a change grants, withdraws and withholds, and to whom', () => {
    const p = planEnvironment(
      'prod',
      'main',
      { resources: [policy(['get_issue', 'list_*'], ['list_secrets'])] },
      { resources: [policy(['get_issue', 'delete_issue'])] },
    );
    expect(p.resources?.[0].effects).toEqual([
      '+ grants tool github/delete_issue to consumer support-bot and consumers labelled team=support',
      '- no longer grants tool github/list_* to consumer support-bot and consumers labelled team=support',
      '- no longer withholds tool github/list_secrets from consumer support-bot and consumers labelled team=support',
    ]);
    const text = renderEnvironmentText(p);
    expect(text).toContain(
      '  ~ AccessPolicy/support  accesspolicys/support.yaml\n    + grants tool github/delete_issue to consumer support-bot',
    );
    expect(renderEnvironmentMarkdown(p)).toContain(
      '~ AccessPolicy/support  accesspolicys/support.yaml\n+   grants tool github/delete_issue to consumer support-bot',
    );
  });

  it('describes a new policy as every tool it grants', () => {
    const p = planEnvironment('prod', 'main', { resources: [] }, { resources: [policy(['*'])] });
    expect(p.resources?.[0].effects).toEqual(['+ grants tool github/* to consumer support-bot and consumers labelled team=support']);
  });
});

describe('prompt endpoints in the plan', () => {
  const REVIEW = {
    type: 'object',
    required: ['comment', 'severity'],
    properties: { comment: { type: 'string' }, severity: { enum: ['info', 'major'] } },
  };
  const reviewer = (expose?: object) =>
    resource('Prompt', 'reviewer', {
      route: 'chat',
      variables: { type: 'object', properties: { diff: { type: 'string' } } },
      versions: { v1: { messages: [{ role: 'user', content: '{{diff}}' }] } },
      serve: [{ version: 'v1' }],
      ...(expose ? { expose } : {}),
    });

  it('says which endpoint a prompt starts serving', () => {
    const p = planEnvironment(
      'prod',
      'main',
      { resources: [reviewer()] },
      { resources: [reviewer({ path: '/review', response: REVIEW })] },
    );
    expect(p.resources?.[0].effects).toEqual(['+ serves POST /review, answering a JSON object of its response schema']);
  });

  it('flags a breaking change to the response schema as such, and a compatible one as a change', () => {
    const narrower = {
      ...REVIEW,
      required: ['comment'],
      properties: { ...REVIEW.properties, severity: { enum: ['info', 'major', 'minor'] } },
    };
    const p = planEnvironment(
      'prod',
      'main',
      { resources: [reviewer({ path: '/review', response: REVIEW })] },
      {
        resources: [
          reviewer({ path: '/review', response: { ...narrower, properties: { ...narrower.properties, score: { type: 'integer' } } } }),
        ],
      },
    );
    expect(p.resources?.[0].effects).toEqual([
      '~ response: field `score` added at /score',
      '- BREAKING response: field `severity` no longer required at /severity',
      '- BREAKING response: enum value "minor" added at /severity',
    ]);
    expect(renderEnvironmentMarkdown(p)).toContain('-   BREAKING response: enum value "minor" added at /severity');
  });

  it('flags a request schema a caller may no longer meet, and a moved endpoint', () => {
    const p = planEnvironment(
      'prod',
      'main',
      { resources: [reviewer({ path: '/review' })] },
      {
        resources: [
          reviewer({
            path: '/v1/apps/review',
            request: { type: 'object', required: ['diff', 'lang'], properties: { diff: { type: 'string' }, lang: { type: 'string' } } },
          }),
        ],
      },
    );
    expect(p.resources?.[0].effects).toEqual([
      '- BREAKING: moves from POST /review to POST /v1/apps/review',
      '- BREAKING request: required field `lang` added at /lang',
      '~ request: other fields now allowed',
    ]);
  });
});

describe('guardrails in the plan', () => {
  const pii = resource('Guardrail', 'customer-pii', { stage: 'both', action: 'mask', check: { pii: { detectors: ['email', 'card'] } } });
  const topics = resource('Guardrail', 'topics', { check: { deniedTopics: { words: ['merger'] } } });
  const policy = (guardrails: string[]) =>
    resource('AccessPolicy', 'payments', { subjects: { labels: { team: 'payments' } }, routes: ['chat'], guardrails });
  const chat = (guardrails: string[]) => resource('Route', 'chat', { targets: [{ provider: 'p', model: 'm' }], guardrails });

  it('says which guard a change removes from whom, and which it attaches, with what it checks', () => {
    const p = planEnvironment(
      'prod',
      'main',
      { resources: [pii, topics, policy(['customer-pii']), chat([])] },
      { resources: [pii, topics, policy([]), chat(['topics'])] },
    );
    const effects = Object.fromEntries((p.resources ?? []).map((r) => [r.id, r.effects]));
    expect(effects['AccessPolicy/payments']).toEqual([
      '- removes guardrail customer-pii (pii email, card; mask on request and response) from consumers labelled team=payments',
    ]);
    expect(effects['Route/chat']).toEqual(['+ attaches guardrail topics (deniedTopics; block on request) to every caller of route chat']);
    expect(renderEnvironmentText(p)).toContain(
      '    - removes guardrail customer-pii (pii email, card; mask on request and response) from consumers',
    );
  });
});

describe('route strategies in the plan', () => {
  const chat = (strategy?: string) =>
    resource('Route', 'chat', { targets: [{ provider: 'p', model: 'm' }], ...(strategy && { strategy }) });

  it('says how the targets are now ordered, also when the strategy is removed and weights apply again', () => {
    const removed = planEnvironment('prod', 'main', { resources: [chat('lowest-cost')] }, { resources: [chat()] });
    expect(removed.resources?.[0].effects).toEqual(['~ picks one target by weight (was: tries the cheapest target first)']);
    const set = planEnvironment('prod', 'main', { resources: [chat()] }, { resources: [chat('priority')] });
    expect(set.resources?.[0].effects).toEqual(['~ tries the targets in the order written (was: picks one target by weight)']);
    const same = planEnvironment('prod', 'main', { resources: [chat()] }, { resources: [chat('weighted')] });
    expect(same.resources?.[0].effects).toBeUndefined();
  });
});

describe('a resource the head refuses', () => {
  it('is not planned as destroyed: its schema errors say what is wrong with it', () => {
    const strategy = {
      ...finding('schema', 'Route/chat', 5, '`spec.strategy` must be one of: weighted, priority.'),
      severity: 'error' as const,
    };
    const p = planEnvironment(
      'prod',
      'main',
      { resources: [route([80, 20]), env], diagnostics: [] },
      { resources: [env], diagnostics: [strategy] },
    );
    expect(p.resources).toEqual([]);
    expect(p.summary).toEqual({ add: 0, change: 0, destroy: 0 });
    expect(p.errors.map((e) => e.message)).toEqual([strategy.message]);
  });
});
