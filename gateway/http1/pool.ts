// Keep-alive connections to one origin, the most recently used first (so that few stay warm and the rest time out).
// An idle connection is offered until its keep-alive time is up; one sweep a second closes those past it (one timer
// per pool, not one per exchange), and one the server closed leaves the pool at once.
import { Connection, type Origin } from './connection.ts';

const SWEEP_MS = 1_000;

export class OriginPool {
  private readonly idle: Connection[] = [];
  private readonly origin: Origin;
  private sweeper: NodeJS.Timeout | undefined;
  private destroyed = false;

  /** `origin`: `http://host:port` or `https://host:port`. */
  constructor(origin: string) {
    const url = new URL(origin);
    // An IPv6 address is bracketed in a URL, not on a socket.
    this.origin = {
      tls: url.protocol === 'https:',
      hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
    };
  }

  /** A connection for one exchange: an idle one still within its keep-alive time, else a new one. */
  acquire(): Connection {
    const now = Date.now();
    for (let c = this.idle.pop(); c; c = this.idle.pop()) {
      if (c.idleUntil > now) return c;
      c.destroy();
    }
    return new Connection(this.origin, (c) => this.forget(c));
  }

  /** Takes a connection back after its exchange completed; one the response did not leave open is closed. */
  release(c: Connection): void {
    if (!c.reusable || this.destroyed) return c.destroy();
    c.idleUntil = Date.now() + c.keepAliveMs;
    this.idle.push(c);
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_MS).unref();
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    for (const c of this.idle.splice(0)) c.destroy();
    this.stopSweeping();
  }

  private forget(c: Connection): void {
    const i = this.idle.indexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
  }

  private sweep(): void {
    const now = Date.now();
    for (let i = this.idle.length - 1; i >= 0; i--) if (this.idle[i]!.idleUntil <= now) this.idle.splice(i, 1)[0]!.destroy();
    if (this.idle.length === 0) this.stopSweeping();
  }

  private stopSweeping(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
