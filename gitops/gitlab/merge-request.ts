// The merge request a CI job runs for, read from GitLab's predefined variables, and the token that may
// write notes on it. CI_JOB_TOKEN cannot post notes, so a project access token is required.

export interface ProjectContext {
  /** GitLab's address without `/api/v4`, from `CI_API_V4_URL` (what a runner reaches, even behind a relative URL root). */
  host: string;
  projectId: string;
  token: string;
}

export interface MergeRequestContext extends ProjectContext {
  mergeRequestIid: number;
}

/** A setup or API problem the user can fix: printed as a message, never with a stack. */
export class GitLabError extends Error {
  override name = 'GitLabError';
}

export const TOKEN_VARIABLES = ['MODELGATE_GITLAB_TOKEN', 'GITLAB_TOKEN'] as const;

const API_SUFFIX = /\/api\/v4\/*$/;

/** `purpose` names the option that needs GitLab (`--comment`, `approvals --check`), for the messages. */
export function mergeRequestContext(env: NodeJS.ProcessEnv, purpose = '--comment'): MergeRequestContext {
  const missing = ['CI_API_V4_URL', 'CI_PROJECT_ID', 'CI_MERGE_REQUEST_IID'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new GitLabError(
      `${purpose} needs a merge request pipeline: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set. ` +
        'Run the job with `rules: - if: $CI_PIPELINE_SOURCE == "merge_request_event"`.',
    );
  }
  const iid = Number(env.CI_MERGE_REQUEST_IID);
  if (!Number.isInteger(iid) || iid <= 0)
    throw new GitLabError(`CI_MERGE_REQUEST_IID must be a merge request number, got "${env.CI_MERGE_REQUEST_IID}".`);
  return { ...projectContext(env, purpose), mergeRequestIid: iid };
}

/** The project a CI job runs for, in any pipeline. */
export function projectContext(env: NodeJS.ProcessEnv, purpose: string): ProjectContext {
  const missing = ['CI_API_V4_URL', 'CI_PROJECT_ID'].filter((name) => !env[name]);
  if (missing.length > 0)
    throw new GitLabError(`${purpose} runs in GitLab CI: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set.`);
  if (!API_SUFFIX.test(env.CI_API_V4_URL!)) throw new GitLabError(`CI_API_V4_URL must end with /api/v4, got "${env.CI_API_V4_URL}".`);
  const token = TOKEN_VARIABLES.map((name) => env[name]).find(Boolean);
  if (!token) {
    throw new GitLabError(
      `${purpose} needs a token that can read and write merge request notes in MODELGATE_GITLAB_TOKEN (or GITLAB_TOKEN). ` +
        'CI_JOB_TOKEN cannot post notes: create a project access token with the `api` scope and the Reporter role, ' +
        'and store it as a masked CI/CD variable (not protected, or merge request pipelines cannot read it).',
    );
  }
  return { host: env.CI_API_V4_URL!.replace(API_SUFFIX, ''), projectId: env.CI_PROJECT_ID!, token };
}
