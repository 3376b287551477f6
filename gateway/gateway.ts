// A running gateway: the HTTP server, the current config snapshot and its atomic replacement, and draining.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IR } from '../compiler/ir/types.ts';
import type { ResponseStore } from './apis/responses/store.ts';
import type { ResponseCache } from './cache/index.ts';
import { createHandler, type GatewayState } from './handler.ts';
import { HealthBoard, type StateListener } from './health/board.ts';
import type { CircuitSharing } from './health/shared.ts';
import { answerClientError } from './http/io.ts';
import type { Limiter } from './limits/index.ts';
import { createLogger, type Logger } from './log.ts';
import { GatewayMetrics } from './metrics.ts';
import type { RedisEvents } from './redis-client.ts';
import { createSecretResolver, type SecretResolver } from './secrets.ts';
import { SharedResources } from './shared-resources.ts';
import type { LoadingTracing, SpanCounter } from './telemetry/index.ts';
import { sessionSeal } from './mcp/session.ts';
import { buildSnapshot, type Snapshot, type SnapshotDeps } from './snapshot.ts';
import { OriginPools } from './upstream.ts';
import { openUsageLog, type LineWriter } from './usage-log.ts';

export interface GatewayOptions {
  ir: IR;
  /** Overrides the config's listen address. */
  host?: string;
  port?: number;
  secrets?: SecretResolver;
  /** Where usage lines go instead of the config's `logging.usage.path` (tests, `modelgate serve`). */
  usageLog?: LineWriter;
  log?: Logger;
}

export interface Gateway {
  /** `http://host:port` as bound (port 0 resolved). */
  readonly url: string;
  readonly server: http.Server;
  readonly metrics: GatewayMetrics;
  /** The config in force. */
  readonly ir: IR;
  /** Swaps in a new config; throws (and keeps the old one) when it cannot be loaded. */
  reload(ir: IR): void;
  /** Stops accepting, lets requests in flight finish (up to `graceMs`), then releases everything. */
  shutdown(graceMs?: number): Promise<void>;
}

const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/**
 * How often Node checks connections against headersTimeout and requestTimeout. Its default, 30 s, would let a
 * slowloris client hold a connection for 30 s whatever the timeouts say.
 */
const CONNECTIONS_CHECK_MS = 1_000;

/** Loads the config (every secret resolved, or it throws naming the reference) and starts listening. */
export async function startGateway(o: GatewayOptions): Promise<Gateway> {
  const log = o.log ?? createLogger(o.ir.gateway.logging.level);
  // Not `o.usageLog` in the closure below: that would keep `o`, and with it the first config, alive for good.
  const { usageLog } = o;
  const metrics = new GatewayMetrics();
  const pools = new OriginPools();
  const deps: SnapshotDeps = {
    secrets: o.secrets ?? createSecretResolver(),
    pools,
    limiters: new SharedResources<Limiter>((l) => l.close()),
    caches: new SharedResources<ResponseCache>((c) => c.close()),
    responseStores: new SharedResources<ResponseStore>((s) => s.close()),
    usageLogs: new SharedResources<LineWriter>((w) => w.close()),
    mcpSessions: sessionSeal(),
    openUsageLog: usageLog ? () => usageLog : (path) => openUsageLog(path, (err) => reportUsageLog(log, path, err)),
    storeEvents: (store) => storeEvents(log, metrics, store),
    health: new HealthBoard(Date.now, circuitEvents(log, metrics)),
    circuitSharing: new SharedResources<CircuitSharing>((s) => s.close()),
    tracings: new SharedResources<LoadingTracing>((t) => t.close()),
    countSpans: spanEvents(log, metrics),
  };
  let snapshot: Snapshot = buildSnapshot(o.ir, deps);
  metrics.thresholds.set(o.ir);
  // The first requests are traced: the SDK is loaded before the server listens.
  await snapshot.tracing?.ready;
  let draining = false;
  const state: GatewayState = {
    get snapshot() {
      return snapshot;
    },
    get draining() {
      return draining;
    },
    metrics,
    log,
    responseDone() {
      // While draining, a keep-alive connection whose last response just ended is closed, so that
      // `server.close()` completes as soon as the requests in flight are done.
      if (draining) setImmediate(() => server.closeIdleConnections());
    },
  };

  const server = http.createServer(
    { keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, connectionsCheckingInterval: CONNECTIONS_CHECK_MS },
    createHandler(state),
  );
  server.on('clientError', answerClientError);
  applyLimits(server, o.ir);
  const host = o.host ?? o.ir.gateway.listen.host;
  const port = o.port ?? o.ir.gateway.listen.port;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  } catch (err) {
    await snapshot.retire();
    await pools.destroy();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    url,
    server,
    metrics,
    get ir() {
      return snapshot.ir;
    },
    reload(ir) {
      let next: Snapshot;
      try {
        next = buildSnapshot(ir, deps);
      } catch (err) {
        metrics.reload(false);
        throw err;
      }
      const previous = snapshot;
      snapshot = next;
      metrics.thresholds.set(ir);
      applyLimits(server, ir);
      log.level = ir.gateway.logging.level;
      metrics.reload(true);
      const listen = ir.gateway.listen;
      if (listen.host !== previous.ir.gateway.listen.host || listen.port !== previous.ir.gateway.listen.port) {
        log.log('warn', 'the listen address changed; it takes effect on restart', { host: listen.host, port: listen.port });
      }
      void previous.retire();
    },
    async shutdown(graceMs = 25_000) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(grace);
      await snapshot.retire();
      await pools.destroy();
    },
  };
}

function reportUsageLog(log: Logger, path: string, err: Error | undefined): void {
  if (err) log.log('error', 'usage log lines cannot be written and are lost until this is fixed', { path, error: err.message });
  else log.log('info', 'usage log lines are written again', { path });
}

function applyLimits(server: http.Server, ir: IR): void {
  server.requestTimeout = ir.gateway.limits.requestTimeoutMs;
  server.headersTimeout = Math.min(ir.gateway.limits.headersTimeoutMs, ir.gateway.limits.requestTimeoutMs);
}

/**
 * A Redis store's transitions: a log line and the `modelgate_store_up` gauge each. Connection errors are
 * logged at debug level only: while Redis is down ioredis reports one per reconnect attempt.
 */
function storeEvents(log: Logger, metrics: GatewayMetrics, store: 'limits' | 'cache'): RedisEvents {
  return {
    onError: (err) => log.log('debug', 'redis store error', { store, error: err.message }),
    onState(up) {
      metrics.store(store, up);
      if (up) log.log('info', 'redis store reachable again', { store });
      else log.log('warn', 'redis store unreachable', { store });
    },
  };
}

/** A circuit's state in `modelgate_circuit_state`, and a log line on each transition. */
function circuitEvents(log: Logger, metrics: GatewayMetrics): StateListener {
  return (b, from, reason, adopted) => {
    metrics.circuit(b.provider, b.model, b.state);
    if (from === undefined) return;
    const fields = { provider: b.provider, model: b.model, from, to: b.state, reason, ...(adopted ? { shared: true } : {}) };
    log.log(b.state === 'open' ? 'warn' : 'info', `circuit ${b.state}`, fields);
  };
}

/** Spans counted in `modelgate_trace_spans_total`; a log line when exports start failing and when they work again. */
function spanEvents(log: Logger, metrics: GatewayMetrics): SpanCounter {
  let failing = false;
  return (outcome, count) => {
    metrics.traceSpans(outcome, count);
    if (outcome === 'dropped') return;
    if ((outcome === 'failed') === failing) return;
    failing = !failing;
    if (failing) log.log('warn', 'trace export failing; spans are dropped once its queue is full', { spans: count });
    else log.log('info', 'trace export working again');
  };
}
