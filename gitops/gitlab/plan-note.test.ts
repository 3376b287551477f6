import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planEnvironment } from '../plan/plan.ts';
import { planMarker, renderEnvironmentMarkdown } from '../plan/render-markdown.ts';
import type { PlanResource } from '../plan/resource-diff.ts';
import { startFakeGitLab, type FakeGitLab } from '../../test/support/fake-gitlab.ts';
import { GitLabError, mergeRequestContext, type MergeRequestContext } from './merge-request.ts';
import { gitlabClient, upsertPlanNote } from './plan-note.ts';

const TOKEN = 'glpat-test-token-0123456789';
const LEAK = 'sk-live-planted0123456789abcdefXYZ';

function provider(weight: number, headers: Record<string, string>): PlanResource[] {
  return [
    {
      id: 'Provider/openai',
      kind: 'Provider',
      name: 'openai',
      file: 'providers/openai.yaml',
      value: {
        apiVersion: 'modelgate.dev/v1',
        kind: 'Provider',
        metadata: { name: 'openai' },
        spec: { type: 'openai', baseUrl: 'https://api.openai.com/v1', headers, models: [{ name: 'gpt-4o' }] },
      },
    },
    {
      id: 'Route/chat',
      kind: 'Route',
      name: 'chat',
      file: 'routes/chat.yaml',
      value: {
        apiVersion: 'modelgate.dev/v1',
        kind: 'Route',
        metadata: { name: 'chat' },
        spec: { targets: [{ provider: 'openai', model: 'gpt-4o', weight }] },
      },
    },
  ];
}

/** A plan whose head plants a credential in a provider header and in the emitted artifact. */
function markdownFor(environment: string, weight: number): string {
  const plan = planEnvironment(
    environment,
    'main',
    { resources: provider(100, {}), artifacts: { node: { 'config.json': '{}\n' } }, diagnostics: [] },
    {
      resources: provider(weight, { Authorization: `Bearer ${LEAK}` }),
      artifacts: { node: { 'config.json': `{"headers":{"Authorization":"Bearer ${LEAK}"},"weight":${weight}}\n` } },
      diagnostics: [],
    },
  );
  return renderEnvironmentMarkdown(plan);
}

describe('upsertPlanNote against a local GitLab', () => {
  let gitlab: FakeGitLab;
  let context: MergeRequestContext;

  beforeEach(async () => {
    gitlab = await startFakeGitLab({ perPage: 2, humanNotes: ['LGTM', `Quoting the bot:\n${planMarker('prod')}`, 'one more'] });
    context = { host: gitlab.host, projectId: '17', mergeRequestIid: 4, token: TOKEN };
  });
  afterEach(() => gitlab.close());

  it('creates the note once, then edits that same note on the next push', async () => {
    const api = gitlabClient(context);
    const first = await upsertPlanNote(api, context, 'prod', markdownFor('prod', 60));
    expect(first.action).toBe('created');
    const second = await upsertPlanNote(api, context, 'prod', markdownFor('prod', 40));
    expect(second).toEqual({ environment: 'prod', action: 'updated', noteId: first.noteId });

    const writes = gitlab.requests.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/v4/projects/17/merge_requests/4/notes',
      `PUT /api/v4/projects/17/merge_requests/4/notes/${first.noteId}`,
    ]);
    // The notes list spans pages (2 per page: 3 notes, then 4): every page was read before deciding.
    expect(gitlab.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/notes')).map((r) => r.query.get('page') ?? '1')).toEqual([
      '1',
      '2',
      '1',
      '2',
    ]);
    expect(gitlab.requests.every((r) => r.token === TOKEN)).toBe(true);

    const botNotes = gitlab.notes.filter((n) => n.body.startsWith(planMarker('prod')));
    expect(botNotes).toHaveLength(1);
    expect(botNotes[0].body).toContain('~     spec.targets[0].weight: 100 → 40');
    // The human's quote carrying the marker was neither picked nor touched.
    expect(gitlab.notes[1].body).toBe(`Quoting the bot:\n${planMarker('prod')}`);
  });

  it('never sends the planted credential', async () => {
    const api = gitlabClient(context);
    await upsertPlanNote(api, context, 'prod', markdownFor('prod', 60));
    await upsertPlanNote(api, context, 'prod', markdownFor('prod', 40));
    const sent = gitlab.requests.map((r) => JSON.stringify(r.body ?? {})).join('\n');
    expect(sent).toContain('[masked]');
    expect(sent).not.toContain(LEAK);
  });

  it('keeps one note per environment and skips the edit when nothing changed', async () => {
    const api = gitlabClient(context);
    const prod = await upsertPlanNote(api, context, 'prod', markdownFor('prod', 60));
    const staging = await upsertPlanNote(api, context, 'staging', markdownFor('staging', 60));
    expect(staging.action).toBe('created');
    expect(staging.noteId).not.toBe(prod.noteId);
    expect((await upsertPlanNote(api, context, 'prod', markdownFor('prod', 60))).action).toBe('unchanged');
    expect(gitlab.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
  });

  it('says what to do when GitLab refuses the token, without printing it', async () => {
    gitlab.failWith = 403;
    const error = await upsertPlanNote(gitlabClient(context), context, 'prod', markdownFor('prod', 60)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitLabError);
    expect((error as Error).message).toContain('(403)');
    expect((error as Error).message).toContain('`api` scope');
    expect((error as Error).message).not.toContain(TOKEN);
  });
});

describe('mergeRequestContext', () => {
  const ci = {
    CI_API_V4_URL: 'https://gitlab.example/gitlab/api/v4',
    CI_SERVER_URL: 'https://elsewhere.example',
    CI_PROJECT_ID: '17',
    CI_MERGE_REQUEST_IID: '4',
  };

  it('reads the predefined variables, GitLab through CI_API_V4_URL, and prefers MODELGATE_GITLAB_TOKEN', () => {
    expect(mergeRequestContext({ ...ci, MODELGATE_GITLAB_TOKEN: 'a-token-1', GITLAB_TOKEN: 'b' })).toEqual({
      host: 'https://gitlab.example/gitlab',
      projectId: '17',
      mergeRequestIid: 4,
      token: 'a-token-1',
    });
    expect(() => mergeRequestContext({ ...ci, CI_API_V4_URL: 'https://gitlab.example', GITLAB_TOKEN: 't' })).toThrow(
      /must end with \/api\/v4/,
    );
    expect(mergeRequestContext({ ...ci, GITLAB_TOKEN: 'b-token-2' }).token).toBe('b-token-2');
  });

  it('explains a missing token or a pipeline that is not for a merge request', () => {
    expect(() => mergeRequestContext({ ...ci, CI_JOB_TOKEN: 'job' })).toThrow(/CI_JOB_TOKEN cannot post notes/);
    expect(() => mergeRequestContext({ CI_SERVER_URL: 'x', MODELGATE_GITLAB_TOKEN: 't' })).toThrow(
      /CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID are not set/,
    );
  });
});
