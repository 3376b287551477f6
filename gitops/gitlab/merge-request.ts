// The merge request a CI job runs for, read from GitLab's predefined variables, and the token that may
// write notes on it. CI_JOB_TOKEN cannot post notes, so a project access token is required.

export interface MergeRequestContext {
  /** `CI_SERVER_URL`, e.g. `https://gitlab.com`. */
  host: string;
  projectId: string;
  mergeRequestIid: number;
  token: string;
}

/** A setup or API problem the user can fix: printed as a message, never with a stack. */
export class GitLabError extends Error {
  override name = 'GitLabError';
}

export const TOKEN_VARIABLES = ['MODELGATE_GITLAB_TOKEN', 'GITLAB_TOKEN'] as const;

export function mergeRequestContext(env: NodeJS.ProcessEnv): MergeRequestContext {
  const missing = ['CI_SERVER_URL', 'CI_PROJECT_ID', 'CI_MERGE_REQUEST_IID'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new GitLabError(
      `--comment needs a merge request pipeline: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set. ` +
        'Run the job with `rules: - if: $CI_PIPELINE_SOURCE == "merge_request_event"`.',
    );
  }
  const token = TOKEN_VARIABLES.map((name) => env[name]).find(Boolean);
  if (!token) {
    throw new GitLabError(
      '--comment needs a token that can write merge request notes in MODELGATE_GITLAB_TOKEN (or GITLAB_TOKEN). ' +
        'CI_JOB_TOKEN cannot post notes: create a project access token with the `api` scope and the Reporter role, ' +
        'and store it as a masked CI/CD variable (not protected, or merge request pipelines cannot read it).',
    );
  }
  const iid = Number(env.CI_MERGE_REQUEST_IID);
  if (!Number.isInteger(iid) || iid <= 0) throw new GitLabError(`CI_MERGE_REQUEST_IID must be a merge request number, got "${env.CI_MERGE_REQUEST_IID}".`);
  return { host: env.CI_SERVER_URL!.replace(/\/+$/, ''), projectId: env.CI_PROJECT_ID!, mergeRequestIid: iid, token };
}
