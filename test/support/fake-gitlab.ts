// A local stand-in for the GitLab REST endpoints modelgate uses (merge request notes, merge request approvals,
// group members, the merge requests of a commit), answering with the shapes GitLab returns (from the API docs' examples), and recording every
// request. Tests only.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  token: string | undefined;
  body: Record<string, unknown> | undefined;
}

interface Note {
  id: number;
  body: string;
  authorId: number;
  system: boolean;
}

export interface FakeGitLab {
  host: string;
  requests: RecordedRequest[];
  notes: Note[];
  /** Usernames that approved the merge request, in order. */
  approvedBy: string[];
  /** Group path -> member usernames (inherited ones included, as `members/all` returns them). */
  groups: Record<string, string[]>;
  /** Commit sha -> the iid of the merge request that merged it. */
  mergedBy: Record<string, number>;
  /** Status returned to every request from now on (not 429/502, which gitbeaker retries ten times). */
  failWith?: number;
  close(): Promise<void>;
}

const BOT = { id: 9001, username: 'project_17_bot_1a2b', name: 'modelgate plan', state: 'active', bot: true };
const HUMAN = { id: 12, username: 'dana.kim', name: 'Dana Kim', state: 'active', bot: false };

function noteJson(note: Note, projectId: number, iid: number) {
  const author = note.authorId === BOT.id ? BOT : HUMAN;
  return {
    id: note.id,
    type: null,
    body: note.body,
    attachment: null,
    author: { ...author, avatar_url: null, web_url: `https://gitlab.example/${author.username}` },
    created_at: '2024-05-02T10:00:00.000Z',
    updated_at: '2024-05-02T10:00:00.000Z',
    system: note.system,
    noteable_id: 5501,
    noteable_type: 'MergeRequest',
    project_id: projectId,
    resolvable: false,
    confidential: false,
    internal: false,
    noteable_iid: iid,
    commands_changes: {},
  };
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
}

/** `perPage` small enough that a test can make the notes list span pages. */
export async function startFakeGitLab(options: { perPage?: number; humanNotes?: string[] } = {}): Promise<FakeGitLab> {
  const perPage = options.perPage ?? 20;
  let nextId = 300;
  const state: FakeGitLab = {
    host: '',
    requests: [],
    notes: (options.humanNotes ?? []).map((body) => ({ id: nextId++, body, authorId: HUMAN.id, system: false })),
    approvedBy: [],
    groups: {},
    mergedBy: {},
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    state.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      token: req.headers['private-token'] as string | undefined,
      body,
    });
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (state.failWith) return send(state.failWith, { message: `${state.failWith} Forbidden` });
    if (req.headers['private-token'] === undefined) return send(401, { message: '401 Unauthorized' });
    if (req.method === 'GET' && url.pathname === '/api/v4/user')
      return send(200, { ...BOT, avatar_url: null, web_url: 'https://gitlab.example/bot' });
    const user = (username: string, i: number) => ({
      id: 100 + i,
      username,
      name: username,
      state: 'active',
      avatar_url: null,
      web_url: `https://gitlab.example/${username}`,
    });
    const approvals = /^\/api\/v4\/projects\/(\d+)\/merge_requests\/(\d+)\/approvals$/.exec(url.pathname);
    if (req.method === 'GET' && approvals) {
      const [projectId, iid] = [Number(approvals[1]), Number(approvals[2])];
      const approvedBy = state.approvedBy.map((u, i) => ({ user: user(u, i) }));
      return send(200, {
        id: 5501,
        iid,
        project_id: projectId,
        title: 'Change',
        state: 'opened',
        approved: approvedBy.length > 0,
        approvals_required: 0,
        approvals_left: 0,
        approved_by: approvedBy,
      });
    }
    const commit = /^\/api\/v4\/projects\/(\d+)\/repository\/commits\/([0-9a-f]+)\/merge_requests$/.exec(url.pathname);
    if (req.method === 'GET' && commit) {
      const iid = state.mergedBy[commit[2]!];
      const mr = {
        id: 5500 + (iid ?? 0),
        iid,
        project_id: Number(commit[1]),
        title: 'Change',
        state: 'merged',
        merge_commit_sha: commit[2],
        target_branch: 'main',
      };
      return send(200, iid === undefined ? [] : [mr]);
    }
    const members = /^\/api\/v4\/groups\/([^/]+)\/members\/all$/.exec(url.pathname);
    if (req.method === 'GET' && members) {
      const group = state.groups[decodeURIComponent(members[1]!)];
      if (!group) return send(404, { message: '404 Group Not Found' });
      return send(
        200,
        group.map((u, i) => ({ ...user(u, i), access_level: 30, expires_at: null })),
        { 'x-page': '1', 'x-total-pages': '1' },
      );
    }
    const m = /^\/api\/v4\/projects\/(\d+)\/merge_requests\/(\d+)\/notes(?:\/(\d+))?$/.exec(url.pathname);
    if (!m) return send(404, { message: '404 Not Found' });
    const [projectId, iid, noteId] = [Number(m[1]), Number(m[2]), m[3] ? Number(m[3]) : undefined];
    if (req.method === 'GET' && noteId === undefined) {
      const page = Number(url.searchParams.get('page') ?? '1');
      const size = Math.min(perPage, Number(url.searchParams.get('per_page') ?? perPage));
      const slice = state.notes.slice((page - 1) * size, page * size).map((n) => noteJson(n, projectId, iid));
      const last = Math.max(1, Math.ceil(state.notes.length / size));
      // Like GitLab, the next link repeats the query (sort, order_by) with the next page.
      const next = new URLSearchParams(url.searchParams);
      next.set('page', String(page + 1));
      const link = page < last ? `<${state.host}${url.pathname}?${next}>; rel="next"` : '';
      return send(200, slice, {
        'x-page': String(page),
        'x-per-page': String(size),
        'x-total': String(state.notes.length),
        'x-total-pages': String(last),
        ...(link ? { link } : {}),
      });
    }
    if (req.method === 'POST' && noteId === undefined) {
      const note = { id: nextId++, body: String(body?.body), authorId: BOT.id, system: false };
      state.notes.push(note);
      return send(201, noteJson(note, projectId, iid));
    }
    if (req.method === 'PUT' && noteId !== undefined) {
      const note = state.notes.find((n) => n.id === noteId);
      if (!note) return send(404, { message: '404 Note Not Found' });
      if (note.authorId !== BOT.id) return send(403, { message: '403 Forbidden' });
      note.body = String(body?.body);
      return send(200, noteJson(note, projectId, iid));
    }
    return send(405, { message: '405 Method Not Allowed' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
