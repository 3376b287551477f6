// The one way the runtime connects to Redis (limits and cache stores): URL from a secret reference,
// keys prefixed, failures surfaced fast instead of queued behind a dead connection.
//
// Fail fast: once the connection is known down (it closed, or a connect attempt failed), every command is
// refused at once with StoreUnavailableError, without a round trip or a wait; ioredis reconnects in the
// background every RETRY_MS at most, and the first `ready` brings the store back. Only the very first
// connect, at startup, is waited for (up to CONNECT_TIMEOUT_MS), so that a gateway does not refuse the
// requests that arrive while it is still connecting.
import type { Redis } from 'ioredis';
import type { IRStore } from '../compiler/ir/types.ts';
import type { SecretResolver } from './secrets.ts';

/** How long a command may wait for Redis before it fails (and its request with it). */
export const COMMAND_TIMEOUT_MS = 500;
/** How long one connect attempt may take. */
const CONNECT_TIMEOUT_MS = 1000;
/** Reconnect delay after `attempt` failed attempts: short, so that a store that is back is used within a second. */
export const reconnectDelay = (attempt: number): number => Math.min(attempt * 50, 500);

/** A command refused because the store is known to be unreachable. */
export class StoreUnavailableError extends Error {
  constructor() {
    super('Redis store unreachable');
    this.name = 'StoreUnavailableError';
  }
}

/**
 * A Redis client whose library is loaded when a Redis store is created: a gateway with every store in memory
 * never evaluates ioredis (about 12 MB of resident memory). Connecting starts at once, as before.
 */
export interface RedisConnection {
  /** Runs `command` with the client when the store is up; rejects at once when it is known down. */
  run<T>(command: (client: Redis) => Promise<T>): Promise<T>;
  /** Waits for replies still pending (QUIT), or drops the connection when Redis is unreachable. */
  close(): Promise<void>;
}

export interface RedisEvents {
  /** A connection error (reported as ioredis emits it: once per failed attempt while down). */
  onError: (err: Error) => void;
  /** Each transition between reachable and unreachable (not the first success at startup). */
  onState?: (up: boolean) => void;
}

export function connectRedis(
  store: Extract<IRStore, { type: 'redis' }>,
  secrets: SecretResolver,
  events: RedisEvents,
  setup: (client: Redis) => void = () => {},
): RedisConnection {
  const url = secrets(store.url); // a missing secret refuses the config now, not at the first request
  let client: Redis | undefined;
  /** Unknown until the first connect succeeds or fails. */
  let up: boolean | undefined;
  let closing = false;
  let settled: () => void;
  /** Settles when the first connect attempt has succeeded or failed. */
  const firstAttempt = new Promise<void>((resolve) => {
    settled = resolve;
  });
  const transition = (now: boolean) => {
    const was = up;
    up = now;
    settled();
    // The first success is no transition; a first failure is (the store is down from the start).
    if (was !== now && !(was === undefined && now) && !closing) events.onState?.(now);
  };
  const ready = import('ioredis').then(({ Redis }) => {
    client = new Redis(url, {
      keyPrefix: store.keyPrefix,
      connectionName: 'modelgate',
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // No queue of commands waiting for a connection: while Redis is down, a command fails at once.
      enableOfflineQueue: false,
      retryStrategy: reconnectDelay,
      // Commands issued in the same tick share one write: many concurrent admits, few syscalls.
      enableAutoPipelining: true,
    });
    // ioredis reports connection errors as events; without a listener Node would print them raw.
    client.on('error', (err: Error) => {
      events.onError(err);
      if (client!.status !== 'ready') transition(false);
    });
    client.on('ready', () => transition(true));
    client.on('close', () => {
      if (up !== undefined) transition(false);
    });
    setup(client);
    return client;
  });
  const refused = () => Promise.reject(new StoreUnavailableError());
  const runNow = <T>(c: Redis, command: (client: Redis) => Promise<T>): Promise<T> => (up && c.status === 'ready' ? command(c) : refused());
  return {
    run(command) {
      if (client && up !== undefined) return runNow(client, command);
      return Promise.all([ready, firstAttempt]).then(([c]) => runNow(c, command));
    },
    async close() {
      closing = true;
      const c = await ready;
      if (c.status === 'ready') await c.quit().catch(() => c.disconnect());
      else c.disconnect();
    },
  };
}
