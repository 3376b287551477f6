// The one way the runtime connects to Redis (limits and cache stores): URL from a secret reference,
// keys prefixed, failures surfaced fast instead of queued behind a dead connection.
import { Redis } from 'ioredis';
import type { IRStore } from '../../../compiler/ir/types.ts';
import type { SecretResolver } from './secrets.ts';

/** How long a command may wait for Redis before it fails (and its request with it). */
const COMMAND_TIMEOUT_MS = 1000;

export function connectRedis(store: Extract<IRStore, { type: 'redis' }>, secrets: SecretResolver, onError: (err: Error) => void): Redis {
  const client = new Redis(secrets(store.url), {
    keyPrefix: store.keyPrefix,
    connectionName: 'modelgate',
    maxRetriesPerRequest: 1,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // Commands issued in the same tick share one write: many concurrent admits, few syscalls.
    enableAutoPipelining: true,
  });
  // ioredis reports connection errors as events; without a listener Node would print them raw.
  client.on('error', onError);
  return client;
}

/** Waits for replies still pending (QUIT), or drops the connection when Redis is unreachable. */
export async function closeRedis(client: Redis): Promise<void> {
  await client.quit().catch(() => client.disconnect());
}
