// Circuit states shared by the replicas of a gateway through its Redis limits store, never on a request's path:
// a replica writes its own transitions (fire and forget) and reads the others' every POLL_MS in the background.
// Each key holds the latest transition of one provider model; the newer transition wins. While Redis is
// unreachable every replica goes on with its own states.
import type { IRStore } from '../../compiler/ir/types.ts';
import { connectRedis, type RedisEvents } from '../redis-client.ts';
import type { SecretResolver } from '../secrets.ts';
import type { Breaker } from './breaker.ts';
import type { HealthBoard } from './board.ts';

/** How soon a replica learns of another's transition, at most (plus a round trip). */
export const POLL_MS = 250;
/** How long a transition is kept after the open interval: enough for every replica to read it. */
const KEEP_MS = 60_000;

export interface CircuitSharing {
  close(): Promise<void>;
}

const keyOf = (b: Breaker) => `circuit:${b.provider}/${b.model}`;

export function shareCircuits(
  store: Extract<IRStore, { type: 'redis' }>,
  secrets: SecretResolver,
  board: HealthBoard,
  events: RedisEvents,
): CircuitSharing {
  const redis = connectRedis(store, secrets, events);
  const ignore = () => {};
  const detach = board.attach((b) => {
    // Half-open is each replica's own: its probes are its own requests.
    if (b.state === 'half-open') return;
    const value = `${b.state} ${b.changedAt} ${b.openUntil}`;
    const ttl = b.settings.openForMs + KEEP_MS;
    redis.run((client) => client.set(keyOf(b), value, 'PX', ttl)).catch(ignore);
  });
  let polling = false;
  const poll = () => {
    const breakers = board.breakers().filter((b) => b.settings.enabled);
    if (polling || breakers.length === 0) return;
    polling = true;
    redis
      .run((client) => client.mget(breakers.map(keyOf)))
      .then((values) => values.forEach((value, i) => value && adopt(breakers[i]!, value)), ignore)
      .finally(() => {
        polling = false;
      });
  };
  const timer = setInterval(poll, POLL_MS);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      detach();
      await redis.close();
    },
  };
}

function adopt(b: Breaker, value: string): void {
  const [state, changedAt, openUntil] = value.split(' ');
  if (state !== 'open' && state !== 'closed') return;
  b.adopt(state, Number(changedAt), Number(openUntil));
}
