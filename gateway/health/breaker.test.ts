// The breaker's state machine on a fake clock: what opens it, how long it stays open, what its probes do.
import { describe, expect, it } from 'vitest';
import type { IRCircuitBreaker } from '../../compiler/ir/types.ts';
import { testProvider } from '../../test/support/ir-fixture.ts';
import { Breaker, REFUSED, type CircuitState } from './breaker.ts';

const DEFAULTS = testProvider('p').circuitBreaker;

function breaker(settings: Partial<IRCircuitBreaker> = {}) {
  const clock = { now: 1_000_000 };
  const transitions: string[] = [];
  const b = new Breaker(
    'p',
    'm',
    { ...DEFAULTS, ...settings },
    () => clock.now,
    (br, from: CircuitState, reason) => transitions.push(`${from}->${br.state}: ${reason}`),
  );
  /** One attempt let through and its outcome; false when the breaker refused it. */
  const attempt = (outcome: 'success' | 'failure' | 'neutral') => {
    const ticket = b.acquire();
    if (ticket === REFUSED) return false;
    b.record(ticket, outcome);
    return true;
  };
  return { b, clock, transitions, attempt };
}

describe('a circuit breaker', () => {
  it('has the schema defaults: 5 in a row, half of 20 in 30 s, open 30 s, one probe', () => {
    expect(DEFAULTS).toEqual({
      enabled: true,
      consecutiveFailures: 5,
      failureRatio: 0.5,
      minimumRequests: 20,
      windowMs: 30_000,
      openForMs: 30_000,
      halfOpenProbes: 1,
    });
  });

  it('opens after N consecutive failures, not when a success breaks the run', () => {
    const { b, attempt, transitions } = breaker({ consecutiveFailures: 3 });
    for (const outcome of ['failure', 'failure', 'success', 'failure', 'failure'] as const) attempt(outcome);
    expect(b.state).toBe('closed');
    attempt('failure');
    expect(b.state).toBe('open');
    expect(transitions).toEqual(['closed->open: 3 consecutive failures']);
    expect(attempt('success')).toBe(false);
  });

  it('ignores neutral outcomes (4xx, cancelled) when counting', () => {
    const { b, attempt } = breaker({ consecutiveFailures: 2 });
    attempt('failure');
    for (let i = 0; i < 10; i++) attempt('neutral');
    expect(b.state).toBe('closed');
    attempt('failure');
    expect(b.state).toBe('open');
  });

  it('opens on the failure ratio over the window once the minimum of attempts is reached', () => {
    const { b, attempt, transitions } = breaker({ consecutiveFailures: 100, failureRatio: 0.5, minimumRequests: 10, windowMs: 10_000 });
    // Alternating: 50 % failures, but only 9 attempts so far.
    for (let i = 0; i < 9; i++) attempt(i % 2 === 0 ? 'success' : 'failure');
    expect(b.state).toBe('closed');
    attempt('failure'); // 10 attempts, 5 failed
    expect(b.state).toBe('open');
    expect(transitions).toEqual(['closed->open: 5 of 10 attempts failed']);
  });

  it('forgets attempts that left the window', () => {
    const { b, clock, attempt } = breaker({ consecutiveFailures: 100, failureRatio: 0.5, minimumRequests: 4, windowMs: 10_000 });
    attempt('failure');
    attempt('failure');
    attempt('failure');
    clock.now += 11_000;
    attempt('success');
    attempt('success');
    attempt('success');
    attempt('failure'); // 4 attempts in the window, 1 failed
    expect(b.state).toBe('closed');
  });

  it('stays open for openFor, then lets a bounded number of probes through, and closes when they all succeed', () => {
    const { b, clock, attempt, transitions } = breaker({ consecutiveFailures: 1, openForMs: 5_000, halfOpenProbes: 2 });
    attempt('failure');
    clock.now += 4_999;
    expect(b.available()).toBe(false);
    expect(b.retryAfterMs()).toBe(1);
    expect(attempt('success')).toBe(false);
    clock.now += 1;
    expect(b.available()).toBe(true);
    const first = b.acquire();
    const second = b.acquire();
    expect(b.state).toBe('half-open');
    expect([first, second]).not.toContain(REFUSED);
    expect(b.acquire()).toBe(REFUSED); // both probe slots taken
    b.record(first, 'success');
    expect(b.state).toBe('half-open');
    b.record(second, 'success');
    expect(b.state).toBe('closed');
    expect(transitions).toEqual([
      'closed->open: 1 consecutive failures',
      'open->half-open: open interval over',
      'half-open->closed: probes succeeded',
    ]);
  });

  it('reopens for another interval when a probe fails', () => {
    const { b, clock, attempt } = breaker({ consecutiveFailures: 1, openForMs: 5_000 });
    attempt('failure');
    clock.now += 5_000;
    expect(attempt('failure')).toBe(true);
    expect(b.state).toBe('open');
    expect(b.retryAfterMs()).toBe(5_000);
  });

  it('gives a probe slot back when the probe says nothing about the model', () => {
    const { b, clock, attempt } = breaker({ consecutiveFailures: 1, openForMs: 1_000 });
    attempt('failure');
    clock.now += 1_000;
    expect(attempt('neutral')).toBe(true);
    expect(b.state).toBe('half-open');
    expect(attempt('success')).toBe(true);
    expect(b.state).toBe('closed');
  });

  it('ignores the outcome of an attempt let through before the last transition', () => {
    const { b, clock, attempt } = breaker({ consecutiveFailures: 1, openForMs: 1_000 });
    const early = b.acquire(); // in flight while the circuit opens and turns half-open
    attempt('failure');
    clock.now += 1_000;
    const probe = b.acquire();
    b.record(early, 'success');
    expect(b.state).toBe('half-open');
    b.record(probe, 'success');
    expect(b.state).toBe('closed');
  });

  it('takes a newer state from another replica, never an older one', () => {
    const { b, clock, transitions } = breaker();
    b.adopt('open', clock.now - 1, clock.now + 10_000); // older than nothing: the breaker started at changedAt 0
    expect(b.state).toBe('open');
    expect(b.acquire()).toBe(REFUSED);
    b.adopt('closed', clock.now - 2, 0);
    expect(b.state).toBe('open');
    b.adopt('closed', clock.now, 0);
    expect(b.state).toBe('closed');
    expect(transitions).toEqual(['closed->open: shared state', 'open->closed: shared state']);
  });

  it('does nothing when disabled, and closes when a reload disables it', () => {
    const off = breaker({ enabled: false, consecutiveFailures: 1 });
    for (let i = 0; i < 10; i++) expect(off.attempt('failure')).toBe(true);
    expect(off.b.state).toBe('closed');

    const { b, attempt } = breaker({ consecutiveFailures: 1 });
    attempt('failure');
    b.configure({ ...b.settings, enabled: false });
    expect(b.state).toBe('closed');
    expect(attempt('success')).toBe(true);
  });
});
