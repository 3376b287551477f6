// Response-side guardrails on a stream. The built-in checkers run on what each socket read of the upstream comes to,
// once, as the relay sends it (`StreamGuard.check`), over a sliding window (the end of the text already seen plus the
// new text), so a match split across chunks or reads is caught in the read that completes it, before any of that read
// is sent; the refusal thrown ends the stream with the API's error event. Once per read, not per event: a read often
// holds several events, and each pass costs the same few µs of reading and checking whatever its size. Remote checkers
// cannot hold every chunk back: they check the whole text once the upstream stream is over, before the client gets its
// end (their translator holds it back). A `mask` guardrail cannot take back text already sent: on a stream it blocks.
import { NOTHING_FOUND } from '../../kernel/guardrail-checks.ts';
import type { GatewayError } from '../errors.ts';
import type { StreamTranslator } from '../providers/adapter.ts';
import type { TokenUsage } from '../usage.ts';
import { eventTexts } from './answer-texts.ts';
import { apply, blocked, type Guard, type GuardedCall } from './run.ts';

/** Text kept from earlier events: longer than any built-in match, and than custom patterns usually are. */
export const WINDOW_CHARS = 512;

/**
 * A stream's response-side guard: `check`, which the relay runs on what each upstream read comes to before it sends
 * it, and the translator to relay. That is the API's own one unless remote checkers must hold the stream's end: a
 * wrapper around every stream would cost a call per upstream chunk for nothing.
 */
export class StreamGuard {
  readonly translator: StreamTranslator;
  private readonly inline: Guard[];
  private window = '';
  private total = 0;
  /** The whole text, kept only for remote checkers. */
  text = '';
  private readonly keepsText: boolean;
  /** Categories already flagged, per guardrail: a match stays in the window for a few events. */
  private flagged: Map<Guard, Set<string>> | undefined;

  /** `guards` as `streamGuards` made them (once per chain, not per stream). */
  constructor(
    private readonly call: GuardedCall,
    inner: StreamTranslator,
    guards: StreamGuards,
  ) {
    this.inline = guards.inline;
    this.keepsText = guards.remote.length > 0;
    this.translator = this.keepsText ? new HeldEnd(call, inner, guards.remote, this) : inner;
  }

  /** Passes when every inline guardrail passes the text of `events` (what `push` and `end` gave); throws the refusal. */
  check(events: string | Buffer): void {
    if (events.length === 0) return;
    const text = eventTexts(typeof events === 'string' ? events : events.toString());
    if (text.length === 0) return;
    this.total += text.length;
    if (this.keepsText) this.text += text;
    const seen = this.window + text;
    // What the window held was checked on the run before: the checkers may skip matches lying wholly in it.
    const from = this.window.length;
    for (const g of this.inline) {
      const c = g.ir.check;
      const categories = c.type === 'maxSize' ? (this.total > c.chars ? ['size'] : NOTHING_FOUND) : g.checker.builtIn!.find(seen, from);
      if (categories.length === 0) continue;
      if (g.ir.action === 'flag') {
        this.flag(g, categories);
        continue;
      }
      this.call.verdict({ guardrail: g.ir.name, stage: 'response', action: 'block', categories: [...categories] });
      throw blocked(g.ir.name, 'response', categories);
    }
    this.window = tail(seen);
  }

  private flag(g: Guard, categories: readonly string[]): void {
    this.flagged ??= new Map();
    let seen = this.flagged.get(g);
    if (!seen) this.flagged.set(g, (seen = new Set()));
    const fresh = categories.filter((c) => !seen.has(c));
    if (fresh.length === 0) return;
    for (const c of fresh) seen.add(c);
    this.call.verdict({ guardrail: g.ir.name, stage: 'response', action: 'flag', categories: fresh });
  }
}

/** The API's translator with the stream's end held back for the remote checkers' verdict on the whole text. */
class HeldEnd implements StreamTranslator {
  /**
   * The events from the stream's closing one on (`[DONE]`, `message_stop`, `response.completed`), held until the
   * verdict: a client that read them would take the answer as complete (the OpenAI SDK stops reading at `[DONE]`)
   * and never see the refusal.
   */
  private held = '';

  constructor(
    private readonly call: GuardedCall,
    private readonly inner: StreamTranslator,
    private readonly remote: Guard[],
    private readonly guard: StreamGuard,
  ) {}

  get usage(): TokenUsage {
    return this.inner.usage;
  }

  push(chunk: Buffer): string | Buffer {
    return this.holding(this.inner.push(chunk));
  }

  /** What is still owed, the held end first; a refusal of the verdict replaces it all. */
  end(): string | Buffer {
    const tail = this.inner.end();
    return this.held ? this.held + tail.toString() : tail;
  }

  fail(error: GatewayError): string | undefined {
    return this.inner.fail?.(error);
  }

  /** The remote checkers' verdict on the whole text (what the guard's checks read); a refusal replaces the stream's end. */
  async verdict(): Promise<GatewayError | undefined> {
    for (const g of this.remote) {
      if (this.guard.text.length === 0) return undefined;
      try {
        await apply(this.call, g, 'response', [this.guard.text]);
      } catch (err) {
        return err as GatewayError;
      }
    }
    return undefined;
  }

  /** The events to send now: all of them until the closing one, none from then on (see `held`). */
  private holding(events: string | Buffer): string | Buffer {
    if (events.length === 0) return events;
    const text = events.toString();
    if (this.held) {
      this.held += text;
      return '';
    }
    const at = text.search(CLOSING_EVENT);
    if (at < 0) return events;
    this.held = text.slice(at);
    return text.slice(0, at);
  }
}

/** The first line of the event that closes a stream: chat's `[DONE]`, Messages' `message_stop`, a final Response. */
const CLOSING_EVENT = /^(?:data: ?\[DONE\]|event: (?:message_stop|response\.completed|response\.incomplete))$/m;

/** The last WINDOW_CHARS of `text`, from a word start: a cut inside a number or address could make a false match. */
function tail(text: string): string {
  if (text.length <= WINDOW_CHARS) return text;
  const cut = text.length - WINDOW_CHARS;
  const space = text.slice(cut).search(/\s/);
  return space < 0 ? '' : text.slice(cut + space);
}

/** A stream's guardrails: those run inline on each run of events, and those asked once the upstream is over. */
export interface StreamGuards {
  inline: Guard[];
  remote: Guard[];
}

/** A stream's guardrails: text already sent cannot be masked, so a `mask` guardrail blocks on a stream. */
export function streamGuards(guards: readonly Guard[]): StreamGuards {
  const all = guards.map((g): Guard => (g.ir.action === 'mask' ? { checker: g.checker, ir: { ...g.ir, action: 'block' } } : g));
  return { inline: all.filter((g) => g.checker.builtIn), remote: all.filter((g) => !g.checker.builtIn) };
}
