// Counters in Redis, shared by every replica. Each admit and each record is one Lua script: one round
// trip, atomic on the server, so replicas racing for the last slot cannot both take it.
import type { IRStore } from '../../../../compiler/ir/types.ts';
import { closeRedis, connectRedis } from '../redis-client.ts';
import type { SecretResolver } from '../secrets.ts';
import type { CounterStore, LimitKey, Moment } from './decision.ts';
import { toDecision } from './decision.ts';
import { WINDOW_MS } from './window.ts';

// KEYS: requests previous/current, tokens previous/current, month spend.
// ARGV: request limit, token limit, budget (nano-USD; 0 = no limit), ms elapsed in the window, window ms.
// Mirrors memory.ts and window.ts `slidingCount` operation for operation, so both stores decide alike.
const ADMIT = `
local requests, tokens, budget = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local elapsed, window = tonumber(ARGV[4]), tonumber(ARGV[5])
local function count(key) return tonumber(redis.call('GET', key) or '0') end
local function sliding(previous, current) return math.floor(previous * (window - elapsed) / window) + current end
local rp, rc, tp, tc, refused = 0, 0, 0, 0, 0
if requests > 0 then rp, rc = count(KEYS[1]), count(KEYS[2]) end
if tokens > 0 then tp, tc = count(KEYS[3]), count(KEYS[4]) end
if budget > 0 and count(KEYS[5]) >= budget then refused = 3
elseif tokens > 0 and sliding(tp, tc) >= tokens then refused = 2
elseif requests > 0 and sliding(rp, rc) >= requests then refused = 1
elseif requests > 0 then
  rc = redis.call('INCR', KEYS[2])
  if rc == 1 then redis.call('PEXPIRE', KEYS[2], 2 * window + 5000) end
end
return {refused, rp, rc, tp, tc}
`;

// KEYS: tokens of the current window, month spend. ARGV: tokens, nano-USD, their TTLs in ms.
const RECORD = `
local function add(key, amount, ttl)
  if amount > 0 and redis.call('INCRBY', key, amount) == amount then redis.call('PEXPIRE', key, ttl) end
end
add(KEYS[1], tonumber(ARGV[1]), ARGV[3])
add(KEYS[2], tonumber(ARGV[2]), ARGV[4])
return 0
`;

const REFUSALS = [undefined, 'requests', 'tokens', 'budget'] as const;
/** Spend keys outlive their month by a day, so that a replica with a slightly slow clock still finds them. */
const MONTH_GRACE_MS = 86_400_000;

type Reply = [number, number, number, number, number];
interface Scripts {
  modelgateAdmit(...args: (string | number)[]): Promise<Reply>;
  modelgateRecord(...args: (string | number)[]): Promise<number>;
}

/**
 * Keys are `<keyPrefix>rl:{<policy>:<consumer>}:…`; the braces are a Redis Cluster hash tag that keeps
 * one subject's keys in one slot, as a multi-key script needs. Windows come from this replica's
 * clock: replicas need synchronised clocks (NTP), as any shared minute window does.
 */
export function createRedisCounters(store: Extract<IRStore, { type: 'redis' }>, secrets: SecretResolver, onError: (err: Error) => void): CounterStore {
  const client = connectRedis(store, secrets, onError);
  client.defineCommand('modelgateAdmit', { numberOfKeys: 5, lua: ADMIT });
  client.defineCommand('modelgateRecord', { numberOfKeys: 2, lua: RECORD });
  const scripts = client as unknown as Scripts;
  const subject = (key: LimitKey) => `rl:{${key.policy.name}:${key.consumer}}:`;

  return {
    async admit(key, limits, at: Moment) {
      const s = subject(key);
      const reply = await scripts.modelgateAdmit(
        `${s}r:${at.window - 1}`,
        `${s}r:${at.window}`,
        `${s}t:${at.window - 1}`,
        `${s}t:${at.window}`,
        `${s}b:${at.month.index}`,
        limits.requests,
        limits.tokens,
        limits.budgetNanoUsd,
        at.elapsed,
        WINDOW_MS,
      );
      const [refused, requestsPrevious, requestsCurrent, tokensPrevious, tokensCurrent] = reply;
      return toDecision({ refused: REFUSALS[refused], requestsPrevious, requestsCurrent, tokensPrevious, tokensCurrent }, limits, at);
    },
    async record(key, tokens, nanoUsd, at) {
      const s = subject(key);
      await scripts.modelgateRecord(
        `${s}t:${at.window}`,
        `${s}b:${at.month.index}`,
        tokens,
        nanoUsd,
        2 * WINDOW_MS + 5000,
        at.month.end - at.now + MONTH_GRACE_MS,
      );
    },
    close: () => closeRedis(client),
  };
}
