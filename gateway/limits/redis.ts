// Counters in Redis, shared by every replica. Each admit is one Lua script: one round trip, atomic on the
// server, so replicas racing for the last slot cannot both take it. Recorded tokens and spend travel with the
// subject's next admit, written before it decides; those no admit carries within RECORD_DELAY_MS are sent
// alone, so a request costs one round trip, not two.
import type { Redis } from 'ioredis';
import type { IRStore } from '../../compiler/ir/types.ts';
import { connectRedis, type RedisEvents } from '../redis-client.ts';
import type { SecretResolver } from '../secrets.ts';
import type { CounterStore, LimitKey, Moment } from './decision.ts';
import { toDecision } from './decision.ts';
import { WINDOW_MS } from './window.ts';

// Adds `amount` to a counter, giving a new one its TTL.
const ADD = `
local function add(key, amount, ttl)
  if amount > 0 and redis.call('INCRBY', key, amount) == amount then redis.call('PEXPIRE', key, ttl) end
end
`;

// KEYS: requests previous/current, tokens previous/current, month spend.
// ARGV: request limit, token limit, budget (nano-USD; 0 = no limit), ms elapsed in the window, window ms;
// then what was recorded since the last admit: tokens of the previous and of the current window, nano-USD
// this month, and the TTLs of token and spend counters.
// The admit itself mirrors memory.ts and window.ts `slidingCount` operation for operation, so both stores
// decide alike.
const ADMIT = `${ADD}
add(KEYS[3], tonumber(ARGV[6]), ARGV[9])
add(KEYS[4], tonumber(ARGV[7]), ARGV[9])
add(KEYS[5], tonumber(ARGV[8]), ARGV[10])
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

// KEYS: tokens of the window recorded in, month spend. ARGV: tokens, nano-USD, their TTLs in ms.
const RECORD = `${ADD}
add(KEYS[1], tonumber(ARGV[1]), ARGV[3])
add(KEYS[2], tonumber(ARGV[2]), ARGV[4])
return 0
`;

const REFUSALS = [undefined, 'requests', 'tokens', 'budget'] as const;
/** Spend keys outlive their month by a day, so that a replica with a slightly slow clock still finds them. */
const MONTH_GRACE_MS = 86_400_000;
const TOKENS_TTL_MS = 2 * WINDOW_MS + 5000;
/**
 * How long recorded usage may wait for the subject's next admit. Other replicas see it this much later at
 * most; this one's own admits always see it.
 */
export const RECORD_DELAY_MS = 10;

type Reply = [number, number, number, number, number];
interface Scripts {
  modelgateAdmit(...args: (string | number)[]): Promise<Reply>;
  modelgateRecord(...args: (string | number)[]): Promise<number>;
}

/** Usage recorded for one subject and not yet sent; `settle` resolves the `record` calls waiting on it. */
interface Pending {
  /** When the first of them was recorded: its window and month are where they count. */
  at: Moment;
  tokens: number;
  nanoUsd: number;
  written: Promise<void>;
  settle(sent: Promise<unknown>): void;
}

function pending(at: Moment): Pending {
  let settle!: (sent: Promise<unknown>) => void;
  const written = new Promise<void>((resolve, reject) => {
    settle = (sent) => sent.then(() => resolve(), reject);
  });
  return { at, tokens: 0, nanoUsd: 0, written, settle };
}

const monthTtl = (at: Moment) => at.month.end - at.now + MONTH_GRACE_MS;

/**
 * Keys are `<keyPrefix>rl:{<policy>:<consumer>}:…`; the braces are a Redis Cluster hash tag that keeps
 * one subject's keys in one slot, as a multi-key script needs. Windows come from this replica's
 * clock: replicas need synchronised clocks (NTP), as any shared minute window does.
 */
export function createRedisCounters(
  store: Extract<IRStore, { type: 'redis' }>,
  secrets: SecretResolver,
  events: RedisEvents,
): CounterStore {
  const redis = connectRedis(store, secrets, events, (client: Redis) => {
    client.defineCommand('modelgateAdmit', { numberOfKeys: 5, lua: ADMIT });
    client.defineCommand('modelgateRecord', { numberOfKeys: 2, lua: RECORD });
  });
  const run = <T>(command: (scripts: Scripts) => Promise<T>) => redis.run((client) => command(client as unknown as Scripts));
  const subject = (key: LimitKey) => `rl:{${key.policy.name}:${key.consumer}}:`;
  /** By subject. */
  const unsent = new Map<string, Pending>();
  let timer: NodeJS.Timeout | undefined;

  const send = (s: string, p: Pending) => {
    const sent = run((scripts) =>
      scripts.modelgateRecord(`${s}t:${p.at.window}`, `${s}b:${p.at.month.index}`, p.tokens, p.nanoUsd, TOKENS_TTL_MS, monthTtl(p.at)),
    );
    p.settle(sent);
    return p.written;
  };
  const sendAll = () => {
    timer = undefined;
    const all = [...unsent].map(([s, p]) => send(s, p));
    unsent.clear();
    return Promise.allSettled(all);
  };
  /** The subject's unsent usage when the admit at `at` can carry it (same month, this or the previous window). */
  const carried = (s: string, at: Moment): Pending | undefined => {
    const p = unsent.get(s);
    if (!p) return undefined;
    unsent.delete(s);
    if (p.at.month.index === at.month.index && at.window - p.at.window <= 1) return p;
    void send(s, p).catch(() => {});
    return undefined;
  };

  return {
    async admit(key, limits, at: Moment) {
      const s = subject(key);
      const p = carried(s, at);
      const previous = p?.at.window === at.window - 1 ? p.tokens : 0;
      const current = p?.at.window === at.window ? p.tokens : 0;
      const sent = run((scripts) =>
        scripts.modelgateAdmit(
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
          previous,
          current,
          p?.nanoUsd ?? 0,
          TOKENS_TTL_MS,
          monthTtl(at),
        ),
      );
      p?.settle(sent);
      const [refused, requestsPrevious, requestsCurrent, tokensPrevious, tokensCurrent] = await sent;
      return toDecision(REFUSALS[refused], { requestsPrevious, requestsCurrent, tokensPrevious, tokensCurrent }, limits, at);
    },
    record(key, tokens, nanoUsd, at) {
      const s = subject(key);
      let p = unsent.get(s);
      if (p && (p.at.window !== at.window || p.at.month.index !== at.month.index)) {
        void send(s, p).catch(() => {});
        p = undefined;
      }
      if (!p) unsent.set(s, (p = pending(at)));
      p.tokens += tokens;
      p.nanoUsd += nanoUsd;
      timer ??= setTimeout(sendAll, RECORD_DELAY_MS);
      return p.written;
    },
    async close() {
      clearTimeout(timer);
      await sendAll();
      await redis.close();
    },
  };
}
