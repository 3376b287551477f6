// What the gateway needs from a response cache, whichever store holds it.

export interface ResponseCache {
  /** The cached response body, or undefined on a miss, an expired entry or a store failure. */
  get(key: string): Promise<string | undefined>;
  /** Stores a response for `ttlMs`; a store failure is reported, never thrown. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  close(): Promise<void>;
}
