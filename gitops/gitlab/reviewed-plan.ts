// The plan a reviewer saw: the manifest hash in the plan note of the merge request a commit was merged by. A
// deploy with `verify-plan --reviewed` checks its saved plan against it, so it deploys what was reviewed or
// nothing (with merged-results pipelines or merge trains, the note's plan was made on the merged result).
import type { Gitlab } from '@gitbeaker/rest';
import { planMarker } from '../plan/render-markdown.ts';
import { GitLabError, type ProjectContext } from './merge-request.ts';
import { explain } from './plan-note.ts';

export interface ReviewedManifest {
  mergeRequestIid: number;
  /** `sha256:<hex>` as the note showed it. */
  manifest: string;
}

const SAVED = /manifest `(sha256:[0-9a-f]{64})`/;

export async function reviewedManifest(
  api: Gitlab,
  context: ProjectContext,
  commit: string,
  environment: string,
): Promise<ReviewedManifest> {
  let found: ReviewedManifest | undefined;
  try {
    const requests = await api.Commits.allMergeRequests(context.projectId, commit);
    const merged = requests.find((mr) => mr.state === 'merged') ?? requests[0];
    if (!merged) throw new GitLabError(`no merge request merged commit ${commit}: there is no reviewed plan to deploy.`);
    const me = await api.Users.showCurrentUser();
    const notes = await api.MergeRequestNotes.all(context.projectId, merged.iid, { sort: 'asc', orderBy: 'created_at', perPage: 100 });
    // Only the token's own note counts, as for the plan note itself: a quote by someone else is not the plan.
    const note = notes.find((n) => !n.system && n.author?.id === me.id && n.body.startsWith(planMarker(environment)));
    const manifest = note && SAVED.exec(note.body)?.[1];
    if (!manifest)
      throw new GitLabError(
        `merge request !${merged.iid} has no plan note for ${environment} with a saved plan: run its plan job with --save.`,
      );
    found = { mergeRequestIid: merged.iid, manifest };
  } catch (error) {
    throw error instanceof GitLabError ? error : explain(error, context, 'reading the reviewed plan');
  }
  return found;
}
