// The health of every provider model a gateway routes to: its circuit breaker and its observed latency. One board
// per gateway process, outliving config reloads (an open circuit stays open across a reload); a reload only
// hands the breakers their new settings.
import type { IRProvider } from '../../compiler/ir/types.ts';
import { Breaker, type CircuitState } from './breaker.ts';
import { LatencyWindow } from './latency.ts';

export interface ModelHealth {
  breaker: Breaker;
  latency: LatencyWindow;
}

/**
 * Where a breaker's state goes: on creation (`from` undefined) and on each transition. `adopted`: the state came
 * from another replica.
 */
export type StateListener = (b: Breaker, from: CircuitState | undefined, reason: string, adopted: boolean) => void;

export class HealthBoard {
  private readonly models = new Map<string, ModelHealth>();
  /** Carries this replica's own transitions to the others, while a shared store is attached. */
  private publish: ((b: Breaker) => void) | undefined;

  constructor(
    private readonly clock: () => number,
    private readonly listener: StateListener,
  ) {}

  /** The health of one model of `provider`, made on first use; an existing breaker takes the provider's settings. */
  of(provider: IRProvider, model: string): ModelHealth {
    const key = `${provider.name}/${model}`;
    let health = this.models.get(key);
    if (health) {
      health.breaker.configure(provider.circuitBreaker);
      return health;
    }
    const breaker = new Breaker(provider.name, model, provider.circuitBreaker, this.clock, (b, from, reason, adopted) => {
      this.listener(b, from, reason, adopted);
      if (!adopted) this.publish?.(b);
    });
    this.models.set(key, (health = { breaker, latency: new LatencyWindow() }));
    this.listener(breaker, undefined, 'created', false);
    return health;
  }

  breakers(): Breaker[] {
    return [...this.models.values()].map((h) => h.breaker);
  }

  /** Sends this replica's transitions to `publish` until the returned function is called. */
  attach(publish: (b: Breaker) => void): () => void {
    this.publish = publish;
    return () => {
      if (this.publish === publish) this.publish = undefined;
    };
  }
}
