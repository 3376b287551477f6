// The one way the runtime connects to Redis (limits and cache stores): URL from a secret reference,
// keys prefixed, failures surfaced fast instead of queued behind a dead connection.
import type { Redis } from 'ioredis';
import type { IRStore } from '../compiler/ir/types.ts';
import type { SecretResolver } from './secrets.ts';

/** How long a command may wait for Redis before it fails (and its request with it). */
const COMMAND_TIMEOUT_MS = 1000;

/**
 * A Redis client whose library is loaded when a Redis store is created: a gateway with every store in memory
 * never evaluates ioredis (about 12 MB of resident memory). Connecting starts at once, as before.
 */
export interface RedisConnection {
  /** Runs `command` with the client: at once when it is ready, else once ioredis has loaded. */
  run<T>(command: (client: Redis) => Promise<T>): Promise<T>;
  /** Waits for replies still pending (QUIT), or drops the connection when Redis is unreachable. */
  close(): Promise<void>;
}

export function connectRedis(
  store: Extract<IRStore, { type: 'redis' }>,
  secrets: SecretResolver,
  onError: (err: Error) => void,
  setup: (client: Redis) => void = () => {},
): RedisConnection {
  const url = secrets(store.url); // a missing secret refuses the config now, not at the first request
  let client: Redis | undefined;
  const ready = import('ioredis').then(({ Redis }) => {
    client = new Redis(url, {
      keyPrefix: store.keyPrefix,
      connectionName: 'modelgate',
      maxRetriesPerRequest: 1,
      commandTimeout: COMMAND_TIMEOUT_MS,
      // Commands issued in the same tick share one write: many concurrent admits, few syscalls.
      enableAutoPipelining: true,
    });
    // ioredis reports connection errors as events; without a listener Node would print them raw.
    client.on('error', onError);
    setup(client);
    return client;
  });
  return {
    run: (command) => (client ? command(client) : ready.then(command)),
    async close() {
      const c = await ready;
      await c.quit().catch(() => c.disconnect());
    },
  };
}
