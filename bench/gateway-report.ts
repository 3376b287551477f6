// The gateway bench's tables and goals, from what a run measured: one table per API and body, the throughput
// ratios between systems, and the goals of issues #9 (chat) and #15 (the agents' APIs against the bare proxy).
import { APIS, BODIES, type ApiId, type BodyKind, type Lane, type SystemId } from './gateway-apis.ts';
import { goal, type Goal } from './lib/goals.ts';
import type { LoadResult } from './lib/load.ts';
import { code, table } from './lib/markdown.ts';
import { formatInt, formatMb, formatRatio } from './lib/stats.ts';

export interface Cell extends LoadResult {
  body: BodyKind;
  connections: number;
  peakRssKb: number;
  /** CPU time (user + system, from /proc) of the process under test per request, µs: steadier than req/s on a shared machine. */
  cpuUs: number;
}

export interface Outcome {
  lane: Lane;
  /** The system's label, and the route's effect for modelgate through another route. */
  label: string;
  cells: Cell[];
  /** Why the lane was not (fully) measured. */
  reason?: string;
}

export interface ReportOptions {
  durationS: number;
  /** Seconds of load before each cell, per lane and body; and before the first cell. */
  warmupS: number;
  startWarmupS: number;
  rounds: number;
  /** Connection counts measured per API. */
  connections: Record<ApiId, readonly number[]>;
  /** How each system was run. */
  systems: { label: string; display: string }[];
  /** What the bench config's routes are backed by. */
  routes: string;
}

/** Names in the ratio table's header. */
export const SHORT: Record<SystemId, string> = {
  upstream: 'upstream',
  proxy: 'proxy',
  'proxy-read': 'proxy reading the model',
  'translating-proxy': 'translating proxy',
  modelgate: 'modelgate',
  'modelgate-baseline': 'modelgate baseline',
  'modelgate-redis': 'modelgate (Redis)',
  'modelgate-redis-baseline': 'modelgate baseline (Redis)',
  portkey: 'Portkey',
};

function ms(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)} ms` : 'n/a';
}

/** The cell of `system`'s lane on `api` without a route of its own (the only lane, except modelgate's on the agents' APIs). */
function plain(outcomes: Outcome[], api: ApiId, system: SystemId, body: BodyKind, connections: number): Cell | undefined {
  return cellOf(
    outcomes.find((o) => o.lane.api === api && o.lane.system === system && !o.lane.route),
    body,
    connections,
  );
}

function cellOf(o: Outcome | undefined, body: BodyKind, connections: number): Cell | undefined {
  return o?.cells.find((c) => c.body === body && c.connections === connections);
}

export function render(outcomes: Outcome[], options: ReportOptions): string {
  const sections: string[] = [];
  for (const api of Object.values(APIS)) {
    const own = outcomes.filter((o) => o.lane.api === api.id);
    if (own.length === 0) continue;
    for (const body of BODIES) {
      const rows = own.flatMap((o) =>
        options.connections[api.id].map((connections) => {
          const cell = cellOf(o, body, connections);
          if (!cell) return [o.label, String(connections), `n/a (${o.reason ?? 'not measured'})`, '', '', '', '', '', '', '', '', '', ''];
          const upstream = plain(outcomes, api.id, 'upstream', body, connections);
          // Gateways only are compared with the proxy.
          const proxy =
            o.lane.system === 'proxy' || o.lane.system === 'upstream' ? undefined : plain(outcomes, api.id, 'proxy', body, connections);
          return [
            o.label,
            String(connections),
            formatInt(cell.requestsPerSecond),
            ms(cell.mean),
            ms(cell.p50),
            ms(cell.p99),
            ms(cell.p999),
            proxy ? formatRatio(cell.requestsPerSecond / proxy.requestsPerSecond) : '',
            proxy ? ms(cell.mean - proxy.mean) : '',
            o.lane.system === 'upstream' || !upstream ? '' : ms(cell.p50 - upstream.p50),
            formatInt(cell.cpuUs),
            String(cell.errors),
            formatMb(cell.peakRssKb),
          ];
        }),
      );
      const headers = [
        'system',
        'connections',
        'req/s',
        'mean',
        'p50',
        'p99',
        'p99.9',
        'req/s vs proxy',
        'added mean vs proxy',
        'added p50 vs upstream',
        'CPU µs/req',
        'errors',
        'peak RSS',
      ];
      sections.push(`### ${code(api.path)}: ${api.title[body]}`, '', table(headers, rows), '');
    }
  }
  sections.push(
    ...ratios(outcomes, options),
    '### Systems',
    '',
    ...options.systems.map((s) => `- ${s.label}: ${code(s.display)}`),
    `- ${options.routes}`,
    '',
  );
  sections.push(
    `autocannon 9 in the bench process, ${options.durationS} s per cell${options.rounds > 1 ? ` (the median of ${options.rounds} rounds)` : ''} after a ${options.warmupS} s warm-up per body (and ${options.startWarmupS} s per lane and body before the first cell), ` +
      'pipelining 1, on the same cores as the servers. Every system is started first; then each cell (API, body, connections) ' +
      'runs on every system in turn, so that load from outside the bench drifts alike over the systems compared. Latency from every 2xx response (float ms); ' +
      '"added" is modelgate’s mean minus the proxy’s, or a p50 minus the upstream-alone p50, at the same API, body and connections. ' +
      'The agents’ APIs are measured at the connections of their goals only. CPU µs/req is the user + system time the process under test spent ' +
      'during the cell (/proc, 10 ms ticks) over the requests it answered; rounds alternate the order of the systems (ABBA). Peak RSS is VmHWM of the ' +
      'process under test after the cell. Errors count connection errors, timeouts and non-2xx answers.',
  );
  return sections.join('\n');
}

/** Chat throughput between pairs of systems; pairs with a system this run did not include are left out. */
function ratios(outcomes: Outcome[], options: ReportOptions): string[] {
  const measured = new Set(outcomes.filter((o) => o.lane.api === 'chat').map((o) => o.lane.system));
  if (measured.size === 0) return [];
  const pairs = (
    [
      ['modelgate', 'proxy'],
      ['proxy-read', 'proxy'],
      ['modelgate', 'proxy-read'],
      ['modelgate-baseline', 'proxy'],
      ['modelgate-redis', 'proxy'],
      ['modelgate-redis-baseline', 'proxy'],
      ['modelgate', 'portkey'],
      ['portkey', 'proxy'],
    ] as const
  ).filter(([a, b]) => measured.has(a) && measured.has(b));
  const rows = BODIES.flatMap((body) =>
    options.connections.chat.map((connections) => {
      const rps = (s: SystemId) => plain(outcomes, 'chat', s, body, connections)?.requestsPerSecond ?? Number.NaN;
      return [body, String(connections), ...pairs.map(([a, b]) => formatRatio(rps(a) / rps(b)))];
    }),
  );
  return [
    '### Chat throughput ratios (req/s, same run)',
    '',
    table(['body', 'connections', ...pairs.map(([a, b]) => `${SHORT[a]} / ${SHORT[b]}`)], rows),
    '',
  ];
}

export function goals(outcomes: Outcome[]): Goal[] {
  const mg = outcomes.filter((o) => o.lane.system === 'modelgate' && o.lane.api === 'chat').flatMap((o) => o.cells);
  const rps = (s: SystemId) => plain(outcomes, 'chat', s, 'json', 50)?.requestsPerSecond ?? Number.NaN;
  const vsProxy = rps('modelgate') / rps('proxy');
  const vsPortkey = rps('modelgate') / rps('portkey');
  const one = plain(outcomes, 'chat', 'modelgate', 'json', 1);
  const upstreamOne = plain(outcomes, 'chat', 'upstream', 'json', 1);
  const added = one && upstreamOne ? one.p50 - upstreamOne.p50 : Number.NaN;
  const errors = mg.length > 0 ? mg.reduce((sum, c) => sum + c.errors, 0) : Number.NaN;
  const rss = mg.length > 0 ? Math.max(...mg.map((c) => c.peakRssKb)) : Number.NaN;
  return [
    goal('modelgate ≥ 80 % of the minimal proxy’s req/s (JSON, 50 connections)', formatRatio(vsProxy), vsProxy, (v) => v >= 0.8),
    goal('modelgate ≥ 5× Portkey’s req/s (JSON, 50 connections)', formatRatio(vsPortkey), vsPortkey, (v) => v >= 5),
    goal('modelgate adds ≤ 0.3 ms p50 over the upstream at 1 connection', ms(added), added, (v) => v <= 0.3),
    goal('modelgate: zero errors in every cell', String(errors), errors, (v) => v === 0),
    goal('modelgate RSS ≤ 100 MB', formatMb(rss), rss, (v) => v <= 100 * 1024),
    ...outcomes.filter((o) => o.lane.system === 'modelgate' && o.lane.route).flatMap((o) => agentGoals(outcomes, o)),
  ];
}

/** Issue #15: each agent-API lane of modelgate ≥ 0.95× the bare proxy's req/s at 50 connections and ≤ 0.1 ms added mean latency at 1. */
function agentGoals(outcomes: Outcome[], o: Outcome): Goal[] {
  const { api, route } = o.lane;
  const name = `${APIS[api].path} ${route!.via}`;
  const vs = (connections: number, of: (mine: Cell, proxy: Cell) => number) =>
    BODIES.map((body) => {
      const mine = cellOf(o, body, connections);
      const proxy = plain(outcomes, api, 'proxy', body, connections);
      return mine && proxy ? of(mine, proxy) : Number.NaN;
    });
  const throughput = vs(50, (mine, proxy) => mine.requestsPerSecond / proxy.requestsPerSecond);
  const added = vs(1, (mine, proxy) => mine.mean - proxy.mean);
  const shown = (values: number[], format: (v: number) => string) =>
    o.reason ? `n/a (${o.reason})` : BODIES.map((b, i) => `${b} ${format(values[i]!)}`).join(', ');
  return [
    goal(
      `${name} ≥ 0.95× the proxy’s req/s at 50 connections (JSON and SSE)`,
      shown(throughput, formatRatio),
      Math.min(...throughput),
      (v) => v >= 0.95,
    ),
    goal(
      `${name} adds ≤ 0.1 ms mean latency over the proxy at 1 connection (JSON and SSE)`,
      shown(added, ms),
      Math.max(...added),
      (v) => v <= 0.1,
    ),
  ];
}
