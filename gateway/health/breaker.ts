// A circuit breaker for one provider model: a state machine over attempt outcomes, on an injected clock. Pure and
// synchronous: asking it costs a few comparisons, never a store round trip (other replicas' states arrive through
// `adopt`, off the request path).
import type { IRCircuitBreaker } from '../../compiler/ir/types.ts';

export type CircuitState = 'closed' | 'open' | 'half-open';

/** What an attempt did, as far as the breaker is concerned. */
export type Outcome = 'success' | 'failure' | 'neutral';

/** `adopted`: the state came from another replica (through the shared store), not from this one's attempts. */
export type Transition = (b: Breaker, from: CircuitState, reason: string, adopted: boolean) => void;

/** Refused by `acquire`. */
export const REFUSED = -1;

/** Buckets of the failure-ratio window: the window moves by a tenth of its length. */
const BUCKETS = 10;

export class Breaker {
  state: CircuitState = 'closed';
  /** Epoch ms of the last transition: the newer of two replicas' states wins. */
  changedAt = 0;
  /** Epoch ms at which an open circuit turns half-open. */
  openUntil = 0;
  /** Bumped on each transition; an outcome of an attempt let through in an earlier phase is ignored. */
  private phase = 0;
  private consecutive = 0;
  /** Probes let through in this half-open phase, and how many of them succeeded. */
  private probes = 0;
  private probeSuccesses = 0;
  private readonly stamps = new Array<number>(BUCKETS).fill(-1);
  private readonly totals = new Array<number>(BUCKETS).fill(0);
  private readonly failures = new Array<number>(BUCKETS).fill(0);

  constructor(
    readonly provider: string,
    readonly model: string,
    public settings: IRCircuitBreaker,
    private readonly clock: () => number,
    private readonly onTransition: Transition,
  ) {}

  /**
   * May an attempt start now? A ticket to hand back to `record`, or REFUSED. While half-open it takes one of the
   * probe slots, so every ticket must be recorded (`neutral` when the attempt says nothing about the model).
   */
  acquire(): number {
    if (this.state === 'closed' || !this.settings.enabled) return this.phase;
    if (this.state === 'open') {
      if (this.clock() < this.openUntil) return REFUSED;
      this.move('half-open', 'open interval over', false);
    }
    if (this.probes >= this.settings.halfOpenProbes) return REFUSED;
    this.probes++;
    return this.phase;
  }

  /** Whether `acquire` would let an attempt through now (without taking a probe slot). */
  available(): boolean {
    if (this.state === 'closed' || !this.settings.enabled) return true;
    if (this.state === 'open') return this.clock() >= this.openUntil;
    return this.probes < this.settings.halfOpenProbes;
  }

  /** Ms until an open circuit lets a probe through (0 when it would now). */
  retryAfterMs(): number {
    return this.state === 'open' ? Math.max(0, this.openUntil - this.clock()) : 0;
  }

  record(ticket: number, outcome: Outcome): void {
    if (ticket !== this.phase || !this.settings.enabled) return;
    if (this.state === 'half-open') {
      if (outcome === 'neutral') this.probes--;
      else if (outcome === 'failure') this.open('a probe failed');
      else if (++this.probeSuccesses >= this.settings.halfOpenProbes) this.move('closed', 'probes succeeded', false);
      return;
    }
    if (outcome === 'neutral' || this.state !== 'closed') return;
    this.tally(outcome === 'failure');
    if (outcome === 'success') {
      this.consecutive = 0;
      return;
    }
    const s = this.settings;
    if (++this.consecutive >= s.consecutiveFailures) return this.open(`${this.consecutive} consecutive failures`);
    const [total, failed] = this.inWindow();
    if (total >= s.minimumRequests && failed >= s.failureRatio * total) this.open(`${failed} of ${total} attempts failed`);
  }

  /** New settings (a config reload); a breaker turned off closes. */
  configure(settings: IRCircuitBreaker): void {
    this.settings = settings;
    if (!settings.enabled && this.state !== 'closed') this.move('closed', 'breaker disabled', false);
  }

  /** Takes another replica's state when it is newer than this one's. */
  adopt(state: 'open' | 'closed', changedAt: number, openUntil: number): void {
    if (changedAt <= this.changedAt || !this.settings.enabled) return;
    if (state === this.state && (state === 'closed' || openUntil === this.openUntil)) return;
    this.openUntil = openUntil;
    this.move(state, 'shared state', true, changedAt);
  }

  private open(reason: string): void {
    this.openUntil = this.clock() + this.settings.openForMs;
    this.move('open', reason, false);
  }

  private move(to: CircuitState, reason: string, adopted: boolean, at = this.clock()): void {
    const from = this.state;
    this.state = to;
    this.changedAt = at;
    this.phase++;
    this.consecutive = 0;
    this.probes = 0;
    this.probeSuccesses = 0;
    this.stamps.fill(-1);
    this.onTransition(this, from, reason, adopted);
  }

  private bucket(): number {
    return Math.floor(this.clock() / Math.max(1, this.settings.windowMs / BUCKETS));
  }

  /** Counts an attempt in the window's current bucket. */
  private tally(failed: boolean): void {
    const bucket = this.bucket();
    const i = bucket % BUCKETS;
    if (this.stamps[i] !== bucket) {
      this.stamps[i] = bucket;
      this.totals[i] = 0;
      this.failures[i] = 0;
    }
    this.totals[i]!++;
    if (failed) this.failures[i]!++;
  }

  /** Attempts and failures in the window. */
  private inWindow(): [number, number] {
    const oldest = this.bucket() - BUCKETS;
    let total = 0;
    let failed = 0;
    for (let i = 0; i < BUCKETS; i++) {
      if (this.stamps[i]! > oldest) {
        total += this.totals[i]!;
        failed += this.failures[i]!;
      }
    }
    return [total, failed];
  }
}
