// Where stored responses live (`gateway.stores.responses`): in memory (one process, LRU) or in Redis (shared by
// replicas). Entries are JSON strings keyed by consumer and response id; reading one renews its TTL, so a
// conversation stays whole while it is in use.
import type { IRResponseStore } from '../../../compiler/ir/types.ts';
import { createMemoryCache } from '../../cache/memory.ts';
import { connectRedis } from '../../redis-client.ts';
import type { SecretResolver } from '../../secrets.ts';
import type { ResponseItem, ResponseObject } from './types.ts';

export interface StoredResponse {
  /** Its owner: part of the key, and checked again on every read. */
  consumer: string;
  /** The input items of its own request; earlier turns are reached through `response.previous_response_id`. */
  input: ResponseItem[];
  response: ResponseObject;
}

export interface ResponseStore {
  /** The consumer's response, its TTL renewed; undefined when unknown, expired or another consumer's. Rejects when the store fails. */
  get(consumer: string, id: string): Promise<StoredResponse | undefined>;
  put(stored: StoredResponse): Promise<void>;
  /** Whether the consumer had a response of that id. */
  delete(consumer: string, id: string): Promise<boolean>;
  close(): Promise<void>;
}

/** What a store needs from its backend: strings with an expiry. */
interface KeyValue {
  /** The value, its expiry moved to `ttlMs` from now. */
  get(key: string, ttlMs: number): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Ids the gateway hands out: anything else is unknown without a lookup, and cannot reshape a key. */
const RESPONSE_ID = /^resp_[0-9A-Za-z]{1,128}$/;

function responseStore(kv: KeyValue, ttlMs: number): ResponseStore {
  const key = (consumer: string, id: string) => `responses:${consumer}:${id}`;
  return {
    async get(consumer, id) {
      if (!RESPONSE_ID.test(id)) return undefined;
      const text = await kv.get(key(consumer, id), ttlMs);
      const stored = text === undefined ? undefined : (JSON.parse(text) as StoredResponse);
      return stored?.consumer === consumer ? stored : undefined;
    },
    put: (stored) => kv.set(key(stored.consumer, stored.response.id), JSON.stringify(stored), ttlMs),
    delete: async (consumer, id) => RESPONSE_ID.test(id) && kv.delete(key(consumer, id)),
    close: () => kv.close(),
  };
}

export interface MemoryStoreOptions {
  ttlMs: number;
  maxEntries: number;
  /** Bound on the characters held (default: the response cache's); the least recently used go first. */
  maxChars?: number;
  clock?: () => number;
}

/** An in-process store over the response cache's LRU (TTL, entry and character bounds). */
export function createMemoryResponseStore(options: MemoryStoreOptions): ResponseStore {
  const lru = createMemoryCache(options.maxEntries, options.clock ?? Date.now, options.maxChars);
  const kv: KeyValue = {
    async get(key, ttlMs) {
      const value = await lru.get(key);
      if (value !== undefined) await lru.set(key, value, ttlMs);
      return value;
    },
    set: (key, value, ttlMs) => lru.set(key, value, ttlMs),
    async delete(key) {
      const existed = (await lru.get(key)) !== undefined;
      await lru.set(key, '', 0); // a TTL of 0 removes the entry
      return existed;
    },
    close: () => lru.close(),
  };
  return responseStore(kv, options.ttlMs);
}

/** The Redis commands the store uses; an ioredis client (with the store's key prefix) has them. */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'PX', ttlMs: number): Promise<unknown>;
  pexpire(key: string, ttlMs: number): Promise<unknown>;
  del(key: string): Promise<number>;
}

export interface RedisStoreOptions {
  ttlMs: number;
  /** Closes the connection, for a client the store owns. */
  close?: () => Promise<void>;
}

/**
 * A store shared by replicas; Redis expires the entries (SET … PX). Unlike the response cache, a failing Redis
 * rejects: a conversation that cannot be read must not look like an unknown one.
 */
export function createRedisResponseStore(redis: RedisCommands, options: RedisStoreOptions): ResponseStore {
  const kv: KeyValue = {
    async get(key, ttlMs) {
      const value = await redis.get(key);
      // Renewal is best effort, and not waited for: it would cost a second round trip per read.
      if (value !== null) redis.pexpire(key, Math.ceil(ttlMs)).catch(() => {});
      return value ?? undefined;
    },
    set: async (key, value, ttlMs) => void (await redis.set(key, value, 'PX', Math.ceil(ttlMs))),
    delete: async (key) => (await redis.del(key)) > 0,
    close: options.close ?? (() => Promise.resolve()),
  };
  return responseStore(kv, options.ttlMs);
}

/** The store `gateway.stores.responses` configures; Redis over the gateway's connection wrapper (keys prefixed). */
export function createResponseStore(
  store: IRResponseStore,
  secrets: SecretResolver,
  onError: (err: Error) => void = () => {},
): ResponseStore {
  if (store.type === 'memory') return createMemoryResponseStore({ ttlMs: store.ttlMs, maxEntries: store.maxEntries });
  const redis = connectRedis(store, secrets, { onError });
  const commands: RedisCommands = {
    get: (key) => redis.run((c) => c.get(key)),
    set: (key, value, mode, ttlMs) => redis.run((c) => c.set(key, value, mode, ttlMs)),
    pexpire: (key, ttlMs) => redis.run((c) => c.pexpire(key, ttlMs)),
    del: (key) => redis.run((c) => c.del(key)),
  };
  return createRedisResponseStore(commands, { ttlMs: store.ttlMs, close: () => redis.close() });
}
