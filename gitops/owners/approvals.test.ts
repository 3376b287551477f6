// approvals --check against the GitLab API stand-in: each owning team must have approved, and an exception only
// counts with an approval by an owner of the rule it waives.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../../test/support/run-main.ts';
import { startFakeGitLab, type FakeGitLab } from '../../test/support/fake-gitlab.ts';
import { acmeRepo } from '../../test/support/scratch-repo.ts';
const CI = ['CI_API_V4_URL', 'CI_PROJECT_ID', 'CI_MERGE_REQUEST_IID', 'MODELGATE_GITLAB_TOKEN'] as const;

const exception = (approvers: string[]) => `apiVersion: modelgate.dev/v1
kind: PolicyException
metadata:
  name: vllm-plain-http
  labels: { team: platform, owner: dana.kim }
spec:
  rule: prod-upstreams-use-tls
  resources: ["Provider/vllm"]
  owner: dana.kim
  reason: The vLLM host sits on the cluster network until its certificate is issued.
  expires: "2099-01-31"
  approvers: [${approvers.join(', ')}]
`;

describe('modelgate approvals --check', () => {
  let gitlab: FakeGitLab;
  let repo: string;
  const saved = Object.fromEntries(CI.map((k) => [k, process.env[k]]));
  const check = (...extra: string[]) => runMain('approvals', repo, '--base', 'main', '--check', ...extra);

  beforeAll(async () => {
    gitlab = await startFakeGitLab();
    Object.assign(process.env, {
      CI_API_V4_URL: `${gitlab.host}/api/v4`,
      CI_PROJECT_ID: '17',
      CI_MERGE_REQUEST_IID: '8',
      MODELGATE_GITLAB_TOKEN: 'glpat-approvals-0123456789',
    });
    repo = acmeRepo('mg-approvals-').dir;
    // The search team grants itself the premium route, which the platform team owns.
    const access = join(repo, 'access/search.yaml');
    writeFileSync(
      access,
      readFileSync(access, 'utf8').replace('routes: [embeddings, chat-cheap]', 'routes: [embeddings, chat-cheap, chat-premium]'),
    );
  });

  afterAll(async () => {
    for (const k of CI) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await gitlab.close();
    rmSync(repo, { recursive: true, force: true });
  });

  it('lists who must approve what without GitLab', async () => {
    const { code, stdout } = await runMain('approvals', repo, '--base', 'main');
    expect(code).toBe(0);
    expect(stdout).toContain('  team platform (owners: dana.kim)\n      Route/chat-premium (newly reached by AccessPolicy/search)\n');
    expect(stdout).toContain('  team search (owners: priya.nair)\n      AccessPolicy/search (changed)\n');
  });

  it('the plan note lists who must approve what', async () => {
    const { stdout } = await runMain('plan', repo, '--base', 'main', '--env', 'prod', '--format', 'markdown');
    expect(stdout).toContain(
      '**Who must approve** (`modelgate approvals --check` waits for them):\n\n| Who | Owners | What |\n| --- | --- | --- |\n',
    );
    expect(stdout).toContain(
      '| team platform | dana.kim | `Route/chat-premium` (newly reached by AccessPolicy/search) |\n| team search | priya.nair | `AccessPolicy/search` (changed) |\n',
    );
  });

  it('fails naming each team and its resources until each has approved', async () => {
    const none = await check();
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      'modelgate: team platform has not approved Route/chat-premium.\nmodelgate: team search has not approved AccessPolicy/search.\n',
    );
    gitlab.approvedBy = ['dana.kim'];
    const one = await check();
    expect(one.code).toBe(1);
    expect(one.stdout).toContain('✔ team platform: approved by dana.kim');
    expect(one.stdout).toContain('✖ team search: needs an approval from one of: priya.nair');
    expect(gitlab.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/api/v4/projects/17/merge_requests/8/approvals',
      token: 'glpat-approvals-0123456789',
    });
  });

  it("counts a member of the team's GitLab group", async () => {
    gitlab.groups['acme/teams/search'] = ['sam.lee', 'priya.nair'];
    gitlab.groups['acme/teams/platform'] = ['dana.kim'];
    gitlab.approvedBy = ['dana.kim', 'sam.lee'];
    expect((await check()).code).toBe(1);
    const { code, stdout } = await check('--team-group', 'acme/teams/{team}');
    expect(stdout).toContain('✔ team search: approved by sam.lee');
    expect(code).toBe(0);
  });

  it('holds an exception valid only with an approval by an owner of the rule it waives, among its approvers', async () => {
    const file = join(repo, 'policies/vllm-plain-http.exception.yaml');
    gitlab.approvedBy = ['dana.kim', 'priya.nair'];
    writeFileSync(file, exception(['noor.ahmed']));
    const waiting = await check();
    expect(waiting.code).toBe(1);
    expect(waiting.stderr).toBe('modelgate: no owner of prod-upstreams-use-tls has approved PolicyException/vllm-plain-http.\n');
    expect(waiting.stdout).toContain(
      '✖ PolicyException/vllm-plain-http waives prod-upstreams-use-tls (owned by Policy/prod-upstreams-use-tls), approvers noor.ahmed: needs an approval from one of: noor.ahmed',
    );

    // An approver who does not own the rule does not count, even when they approved.
    writeFileSync(file, exception(['li.wei']));
    gitlab.approvedBy = ['dana.kim', 'priya.nair', 'li.wei'];
    const wrong = await check();
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('needs an approval from one of: nobody (none of its approvers owns prod-upstreams-use-tls)');

    writeFileSync(file, exception(['noor.ahmed']));
    gitlab.approvedBy = ['dana.kim', 'priya.nair', 'noor.ahmed'];
    const approved = await check();
    expect(approved.stdout).toContain('✔ PolicyException/vllm-plain-http waives prod-upstreams-use-tls');
    expect(approved.code).toBe(0);
  });
});
