// The sticky plan note: one note per environment on the merge request, found again by its hidden marker and
// edited in place on every push, the way Atlantis keeps one plan comment.
import { Gitlab, GitbeakerRequestError, GitbeakerRetryError, GitbeakerTimeoutError } from '@gitbeaker/rest';
import { maskText } from '../../kernel/mask.ts';
import { NOTE_LIMIT, planMarker } from '../plan/render-markdown.ts';
import { GitLabError, type MergeRequestContext, type ProjectContext } from './merge-request.ts';

export interface NoteResult {
  environment: string;
  action: 'created' | 'updated' | 'unchanged';
  noteId: number;
}

/** A request timeout well under a CI job's, so a hung GitLab fails the job with a message. */
const QUERY_TIMEOUT_MS = 30_000;

export function gitlabClient(context: ProjectContext): Gitlab {
  return new Gitlab({ host: context.host, token: context.token, queryTimeout: QUERY_TIMEOUT_MS });
}

/**
 * Creates or updates the note for `environment`. Only notes written by the token's own user count, so a
 * reviewer quoting the plan (marker included) is never edited.
 */
export async function upsertPlanNote(
  api: Gitlab,
  context: MergeRequestContext,
  environment: string,
  markdown: string,
): Promise<NoteResult> {
  const marker = planMarker(environment);
  if (!markdown.startsWith(marker)) throw new Error(`plan note for ${environment} lacks its marker`);
  // Masked once more at the edge: this text leaves for a server.
  const body = maskText(markdown);
  if (body.length > NOTE_LIMIT) throw new Error(`plan note for ${environment} is ${body.length} characters, over GitLab's limit`);
  try {
    const me = await api.Users.showCurrentUser();
    const notes = await api.MergeRequestNotes.all(context.projectId, context.mergeRequestIid, {
      sort: 'asc',
      orderBy: 'created_at',
      perPage: 100,
    });
    const mine = notes.find((n) => !n.system && n.author?.id === me.id && n.body.startsWith(marker));
    if (mine && mine.body === body) return { environment, action: 'unchanged', noteId: mine.id };
    if (mine) {
      await api.MergeRequestNotes.edit(context.projectId, context.mergeRequestIid, mine.id, { body });
      return { environment, action: 'updated', noteId: mine.id };
    }
    const created = await api.MergeRequestNotes.create(context.projectId, context.mergeRequestIid, body);
    return { environment, action: 'created', noteId: created.id };
  } catch (error) {
    throw explain(error, context, 'posting the plan note');
  }
}

/** Turns a failed request (`action`: what it was for) into what to do about it; never includes the token. */
export function explain(error: unknown, context: ProjectContext & { mergeRequestIid?: number }, action: string): Error {
  const where = `project ${context.projectId}${context.mergeRequestIid ? `, merge request !${context.mergeRequestIid}` : ''} on ${context.host}`;
  if (error instanceof GitbeakerRequestError) {
    const status = (error.cause as { response?: Response } | undefined)?.response?.status;
    const advice: Record<number, string> = {
      401: 'GitLab rejected the token: check MODELGATE_GITLAB_TOKEN holds a valid, unexpired project access token.',
      403: 'The token may not write notes here: it needs the `api` scope and at least the Reporter role.',
      404: 'GitLab found no such project or merge request, or the token cannot see it: check CI_PROJECT_ID and CI_MERGE_REQUEST_IID.',
    };
    return new GitLabError(`${action} failed (${status ?? 'no status'}) for ${where}. ${advice[status ?? 0] ?? error.message}`);
  }
  if (error instanceof GitbeakerRetryError || error instanceof GitbeakerTimeoutError) {
    return new GitLabError(`${action} failed for ${where}: ${error.message}`);
  }
  if (error instanceof TypeError) return new GitLabError(`cannot reach ${context.host}: ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
}
