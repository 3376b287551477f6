// The upstream half of a request of any ingress API, once the caller is known and the route authorised: limits,
// redaction, request guardrails, cache, then the attempts, each through the API's leg for its candidate (JSON
// answers read whole, streams forwarded event by event), answers through the response guardrails.
import type { IRAccessPolicy, IRRoute } from '../compiler/ir/types.ts';
import type { ApiRequest, IngressApi } from './apis/api.ts';
import { NonConformingAnswer } from './apis/structured.ts';
import { cacheKey } from './cache/index.ts';
import type { Call } from './call.ts';
import type { StreamGuard } from './guardrails/guarded-stream.ts';
import type { Guards } from './guardrails/guards.ts';
import { forbidden, GatewayError } from './errors.ts';
import { startSse } from './http/sse.ts';
import type { Answer, StreamTranslator, UpstreamCall } from './providers/adapter.ts';
import { failureError, UpstreamFailure } from './providers/upstream-errors.ts';
import { type AttemptLog, type AttemptOptions, withFallbacks, type Candidate, type RoutePlan } from './routing.ts';
import { type BodySink, UpstreamExchange } from './upstream.ts';
import type { LimitDecision } from './limits/index.ts';
import { addUsage, costUsd, type TokenUsage } from './usage.ts';

export async function proxy<R extends ApiRequest>(
  call: Call,
  api: IngressApi<R>,
  route: IRRoute,
  policy: IRAccessPolicy,
  req: R,
): Promise<void> {
  const admitted = admit(call, route, policy);
  const plan = admitted instanceof Promise ? await admitted : admitted;
  const redact = call.snap.redactor(policy);
  if (redact) api.redact(req, redact);
  // Looked up once for the request's three stages; the built-in request checks finish without a promise.
  const guards = call.snap.guards(policy, route);
  const checking = guards?.request(call, api, req);
  if (checking) await checking;
  if (call.snap.ir.gateway.logging.usage.includePrompts) call.messages = api.prompts(req);
  call.stream = req.stream;
  // The API's settle step runs before the client sees the end of the answer; its failure is the request's
  // error only once the answer is out (it is logged, and loses nothing the client was sent).
  let late: unknown;
  const settle: Settle = api.settle ? (masked) => api.settle!(call, req, masked)?.catch((err) => void (late = err)) : noSettle;
  if (req.stream) await streamAnswer(call, api, route, policy, plan, req, settle, guards);
  else await complete(call, api, route, policy, plan, req, settle, guards);
  if (late !== undefined) throw late;
}

/**
 * The API's settle step; `masked`: the JSON answer as the response guardrails rewrote it, when they did. Undefined
 * when it had nothing to do: no promise to wait on.
 */
type Settle = (masked?: string | Buffer) => Promise<void> | undefined;
const noSettle: Settle = () => undefined;

/**
 * Checks the policy's limits (429 with retry-after) and that it allows some model of the route (403). A promise
 * only when the limits are counted in Redis: with counters in memory the request goes on in the same turn.
 */
export function admit(call: Call, route: IRRoute, policy: IRAccessPolicy): RoutePlan | Promise<RoutePlan> {
  const plan = call.snap.plan(policy, route);
  if (plan.targets.items.length === 0 && plan.fallbacks.length === 0) {
    throw forbidden('model_not_permitted', `Access policy "${policy.name}" allows none of the provider models behind "${route.name}".`);
  }
  const decided = call.snap.limiter.admit({ consumer: call.consumer!, policy });
  if (!(decided instanceof Promise)) return limited(call, policy, plan, decided);
  return decided.then(
    (decision) => limited(call, policy, plan, decision),
    () => {
      throw new GatewayError(503, 'api_error', 'limits_unavailable', 'The rate-limit store is unavailable; try again shortly.');
    },
  );
}

/** The limiter's decision applied: its headers on the call, a refusal as the 429 it is. */
function limited(call: Call, policy: IRAccessPolicy, plan: RoutePlan, decision: LimitDecision): RoutePlan {
  Object.assign(call.headers, decision.headers);
  if (decision.unavailable) call.metrics.limitsBypassed(call.consumer!);
  if (!decision.allowed) {
    call.metrics.rateLimited(call.consumer!, decision.reason ?? 'requests');
    const headers = { 'retry-after': String(decision.retryAfterSeconds ?? 1) };
    if (decision.reason === 'budget') {
      throw new GatewayError(
        429,
        'insufficient_quota',
        'insufficient_quota',
        `The monthly budget of access policy "${policy.name}" is spent.`,
        headers,
      );
    }
    const what = decision.reason === 'tokens' ? 'tokens per minute' : 'requests per minute';
    throw new GatewayError(
      429,
      'rate_limit_error',
      'rate_limit_exceeded',
      `Rate limit reached: ${what} of access policy "${policy.name}".`,
      headers,
    );
  }
  return plan;
}

/** Non-streaming: cache lookup, attempts, then the usage line, then the response. */
async function complete<R extends ApiRequest>(
  call: Call,
  api: IngressApi<R>,
  route: IRRoute,
  policy: IRAccessPolicy,
  plan: RoutePlan,
  req: R,
  settle: Settle,
  guards: Guards | null,
): Promise<void> {
  const cached = route.cache.enabled ? api.cacheBody(req) : undefined;
  const key = cached === undefined ? undefined : cacheKey(api.name, route.name, cached);
  if (key !== undefined) {
    const hit = await call.snap.cache.get(key).catch(() => undefined);
    call.metrics.cacheLookup(route.name, hit !== undefined);
    call.cache = hit === undefined ? 'miss' : 'hit';
    call.headers['x-cache'] = call.cache;
    if (hit !== undefined) return call.respond(200, guards ? await guards.answer(call, hit) : hit);
  }
  let spent: TokenUsage | undefined;
  // Closures passed as arguments, none named: the bundle would name each one per request (see StreamRelay).
  const { answer, candidate } = await attempt(call, route, plan, (c, timeoutMs) => {
    const started = performance.now();
    // An answer off the API's schema is asked for once more, its tokens counted all the same.
    return legAnswer(call, api, req, c, timeoutMs).catch((err) => {
      if (!(err instanceof NonConformingAnswer) || spent) throw err;
      spent = err.usage;
      // One attempt to the breaker and metrics, two exchanges in the trace: the first one's span says why it failed.
      call.trace?.attempted(c, err.error.code);
      // Within what is left of the attempt's time (the route's deadline included), not a fresh timeout.
      return legAnswer(call, api, req, c, timeoutMs - (performance.now() - started));
    });
  }).catch((err) => {
    // Tokens of an answer off the schema count whatever ended the request (the retry may fail upstream).
    const usage = err instanceof NonConformingAnswer ? addUsage(err.usage, spent) : spent;
    if (usage) account(call, call.attempts.last!, usage, policy);
    throw err instanceof NonConformingAnswer ? err.error : err;
  });
  account(call, candidate, addUsage(answer.usage, spent), policy);
  if (api.answerUsageInHeaders) usageHeaders(call);
  // Cached as the provider answered: each policy's response guardrails apply on the way out, hit or not.
  if (key !== undefined) void call.snap.cache.set(key, answer.body.toString(), route.cache.ttlMs).catch(() => {});
  const body = guards ? await guards.answer(call, answer.body) : answer.body;
  // What is kept (and served again, or sent back as history) is what the client got: the masked answer.
  const settling = settle(body === answer.body ? undefined : body);
  if (settling) await settling;
  call.respond(200, body);
}

/** One exchange through the API's leg for `c`: its JSON answer, read by the leg. */
function legAnswer<R extends ApiRequest>(call: Call, api: IngressApi<R>, req: R, c: Candidate, timeoutMs: number): Promise<Answer> {
  const leg = api.leg(c);
  return fetchAnswer(call, c, timeoutMs, leg.request(call, req, c), leg.answer, req);
}

/**
 * One attempt at a non-streaming answer: the exchange, its status (a failure the attempt loop may retry), the
 * body read by `read` (a body it cannot read is a 502), which gets `req` (a leg's `answer`, unbound).
 */
export async function fetchAnswer<R>(
  call: Call,
  c: Candidate,
  timeoutMs: number,
  request: UpstreamCall | Promise<UpstreamCall>,
  read: (call: Call, req: R, c: Candidate, bytes: Buffer) => Answer,
  req: R,
): Promise<Answer> {
  const ex = await accepted(call, request, c, timeoutMs);
  // A small answer has come whole with its headers: no promise to wait on.
  const bytes = ex.wholeBody() ?? (await ex.readBody());
  try {
    return read(call, req, c, bytes);
  } catch (err) {
    if (err instanceof NonConformingAnswer) throw err;
    throw new GatewayError(
      502,
      'api_error',
      'upstream_invalid_response',
      `Provider "${c.provider.ir.name}" sent an answer the gateway could not read.`,
    );
  }
}

/**
 * One upstream exchange answered 200, else the failure the attempt loop may retry: the error answer, restated by
 * the provider's adapter when its errors are shaped otherwise. The call is a promise only for signed requests.
 */
async function accepted(
  call: Call,
  request: UpstreamCall | Promise<UpstreamCall>,
  c: Candidate,
  timeoutMs: number,
): Promise<UpstreamExchange> {
  const limit = call.snap.ir.gateway.limits.maxResponseBytes;
  const upstream = request instanceof Promise ? await request : request;
  call.propagate(c, upstream.headers);
  const ex = new UpstreamExchange(upstream, c.provider.pool, timeoutMs, call.scope, limit);
  const status = await ex.status;
  if (status === 200) return ex;
  const failure = await ex.statusFailure(status);
  throw c.provider.adapter.failure?.(failure) ?? failure;
}

/** Streaming: nothing reaches the client until the first translated event, so failures before it still retry. */
async function streamAnswer<R extends ApiRequest>(
  call: Call,
  api: IngressApi<R>,
  route: IRRoute,
  policy: IRAccessPolicy,
  plan: RoutePlan,
  req: R,
  settle: Settle,
  guards: Guards | null,
): Promise<void> {
  const deadline = call.deadline(route);
  const { answer } = await attempt(call, route, plan, async (c, timeoutMs) => {
    const leg = api.leg(c);
    const ex = await accepted(call, leg.request(call, req, c), c, timeoutMs);
    const translator = leg.stream(call, req, c);
    const tapped = call.trace?.tap(translator) ?? translator;
    const guard = guards?.stream(call, tapped);
    return relayStream(call, c, ex, guard?.translator ?? tapped, guard, deadline, policy, settle);
  });
  await answer?.closing;
}

/**
 * Forwards translated events as they come, with backpressure. Resolves when the stream is over for the client,
 * or, once its upstream ended whole, with `closing`: the whole-text verdict and settle step still owed before the
 * client gets the end (not the model's time: the attempt is over). Rejects (so the attempt loop may retry) only
 * while nothing has been sent, and for a failure of the model once something was (counted, not retried).
 */
function relayStream(
  call: Call,
  c: Candidate,
  ex: UpstreamExchange,
  translator: StreamTranslator,
  guard: StreamGuard | undefined,
  deadline: number,
  policy: IRAccessPolicy,
  settle: Settle,
): Promise<{ closing: Promise<void> } | void> {
  return new Promise((resolve, reject) =>
    ex.relay(new StreamRelay(call, c, ex, translator, guard, deadline, policy, settle, resolve, reject)),
  );
}

/**
 * The upstream body's sink for `relayStream`. A class, not closures: the bundle names each closure it makes
 * (esbuild's keepNames), a cost paid per stream for every one.
 */
class StreamRelay implements BodySink {
  private committed = false;
  private settled = false;
  private draining = false;
  /**
   * What the body chunks of one socket read translate to (a chunked upstream sends each event as a chunk), sent
   * to the client in one write once that read is parsed: one chunk of the response rather than one per event.
   * Those of the read that ends the upstream go out with the end of the response, in the same write.
   */
  private pending: (string | Buffer)[] = [];
  /** Bound once, not an arrow: see the class comment. */
  private readonly flushRead: () => void = this.flushUnlessEnded.bind(this);

  constructor(
    private readonly call: Call,
    private readonly c: Candidate,
    private readonly ex: UpstreamExchange,
    private readonly translator: StreamTranslator,
    /** The response-side guardrails, which see each read's events before the client does. */
    private readonly guard: StreamGuard | undefined,
    private readonly deadline: number,
    private readonly policy: IRAccessPolicy,
    private readonly settle: Settle,
    private readonly resolve: (closing: { closing: Promise<void> } | void) => void,
    private readonly reject: (err: unknown) => void,
  ) {}

  data(chunk: Buffer): boolean {
    if (this.settled) return false;
    try {
      const text = this.translator.push(chunk);
      if (text.length > 0 && this.pending.push(text) === 1) queueMicrotask(this.flushRead);
    } catch (err) {
      this.fail(err);
      return false;
    }
    // A full client socket pauses the upstream from the next chunk on, until it drains.
    return !this.draining;
  }

  end(): void {
    if (this.settled) return;
    let tail: string | Buffer;
    try {
      tail = this.translator.end();
    } catch (err) {
      return this.fail(err);
    }
    // The last read's events go out with the end, in one write: checked together.
    const last = this.pending.length === 0 ? tail : joined([...this.pending, tail]);
    if (!this.passes(last)) return;
    this.settled = true;
    // Committed before the end is taken: the events of this read are the first ones when none went before.
    this.commit();
    this.call.streamEndAt = performance.now();
    // The whole-text verdict first: an answer the guardrails refuse is never kept (nor served again).
    const closing = Promise.resolve(this.translator.verdict?.()).then(async (refusal) => {
      if (refusal) return this.endWith(refusal);
      await this.settle();
      this.pending = [];
      this.finish(last);
    });
    this.resolve({ closing });
  }

  error(failure: UpstreamFailure): void {
    this.fail(failure);
  }

  /** The response's head, once (sent with its first write); no retry from here on. */
  private commit(): void {
    const { call } = this;
    if (this.committed || call.res.destroyed) return;
    this.committed = true;
    call.firstEventAt = performance.now();
    // From here the route's deadline, not the per-attempt timeout, bounds the stream.
    this.ex.setTimer(this.deadline - performance.now());
    setProviderHeaders(call, this.c);
    startSse(call.res, call.headers);
  }

  /** Writes to the client; false while its socket is full (the upstream waits for the drain). */
  private forward(text: string | Buffer): boolean {
    const { call, ex } = this;
    const res = call.res;
    if (res.destroyed) return true; // the client left; cancellation is already aborting the upstream call
    this.commit();
    if (res.write(text)) return true;
    if (!this.draining) {
      this.draining = true;
      res.once('drain', () => {
        this.draining = false;
        ex.resume();
      });
    }
    return false;
  }

  private flushUnlessEnded(): void {
    if (!this.settled) this.flush();
  }

  private flush(): void {
    const texts = this.pending;
    if (texts.length === 0) return;
    this.pending = [];
    const out = texts.length === 1 ? texts[0]! : joined(texts);
    if (this.passes(out)) this.forward(out);
  }

  /** Whether the guardrails let `out` go; their refusal fails the stream, and nothing pending is sent. */
  private passes(out: string | Buffer): boolean {
    try {
      this.guard?.check(out);
      return true;
    } catch (err) {
      this.pending = [];
      this.fail(err);
      return false;
    }
  }

  /** Ends the response with the texts still pending and `tail`, in one write. */
  private finish(tail: string | Buffer, error?: GatewayError, failure?: UpstreamFailure): void {
    const { call, translator } = this;
    account(call, this.c, translator.usage, this.policy);
    call.finish(200, error?.code, error?.status);
    const last = this.pending.length === 0 ? tail : joined([...this.pending, tail]);
    this.pending = [];
    call.afterLine(() => {
      if (!call.res.destroyed) call.res.end(last);
    });
    if (!failure) return this.resolve();
    // The provider failed after bytes reached the client: the attempt loop counts it (circuit breaker, metrics)
    // and retries nothing; the error it then throws finds the response over (Call.fail adds nothing).
    failure.answered = true;
    this.reject(failure);
  }

  private fail(err: unknown): void {
    if (this.settled) return;
    this.settled = true;
    // What came before the failure reaches the client first.
    this.flush();
    this.ex.abort();
    // A guardrail's refusal is final (no retry) and shown as it is.
    const refusal = err instanceof GatewayError ? err : undefined;
    const failure = this.ex.failure(err);
    if (!this.committed) return this.reject(refusal ?? failure);
    // Bytes already reached the client: no retry; end the stream with the API's error event.
    if (refusal) this.endWith(refusal);
    else this.endWith(failureError(failure, this.c.provider.ir.name), failure);
  }

  private endWith(error: GatewayError, failure?: UpstreamFailure): void {
    this.finish(this.translator.fail?.(error) ?? this.call.api.errors.event(error), error, failure);
  }
}

/** Texts as one, a string when they all are. */
function joined(texts: (string | Buffer)[]): string | Buffer {
  if (texts.every((t) => typeof t === 'string')) return texts.join('');
  return Buffer.concat(texts.map((t) => (typeof t === 'string' ? Buffer.from(t) : t)));
}

/** The retry/fallback loop with this call's deadline, cancellation and metrics; maps the final failure. */
export async function attempt<T>(call: Call, route: IRRoute, plan: RoutePlan, run: (c: Candidate, timeoutMs: number) => Promise<T>) {
  try {
    const answer = await withFallbacks(plan, new CallAttempts(call, route), run);
    return { answer, candidate: call.attempts.last! };
  } catch (err) {
    if (err instanceof UpstreamFailure) throw failureError(err, call.attempts.last?.provider.ir.name ?? route.name);
    throw err;
  }
}

/** The attempt loop's view of a call: a class, not closures (see StreamRelay). */
class CallAttempts implements AttemptOptions {
  readonly deadline: number;
  readonly log: AttemptLog;

  constructor(
    private readonly call: Call,
    readonly route: IRRoute,
  ) {
    this.deadline = call.deadline(route);
    this.log = call.attempts;
  }

  isCancelled(): boolean {
    return this.call.clientGone;
  }

  onAttempt(c: Candidate, outcome: string, ms: number): void {
    this.call.metrics.upstreamAttempt(c.provider.ir.name, c.model.name, outcome, ms);
    this.call.trace?.attempted(c, outcome);
  }
}

export function setProviderHeaders(call: Call, c: Candidate): void {
  call.headers['x-modelgate-provider'] = c.provider.ir.name;
  call.headers['x-modelgate-model'] = c.model.name;
}

/** The call's tokens and cost as headers, for answers without a `usage` member. */
function usageHeaders(call: Call): void {
  call.headers['x-modelgate-input-tokens'] = String(call.usage.input);
  call.headers['x-modelgate-output-tokens'] = String(call.usage.output);
  call.headers['x-modelgate-cost-usd'] = String(call.costUsd);
}

/** Tokens and cost into the call (usage line) and the limiter (after the fact: it never delays the answer). */
function account(call: Call, c: Candidate, usage: TokenUsage, policy: IRAccessPolicy): void {
  setProviderHeaders(call, c);
  call.usage = usage;
  call.costUsd = costUsd(c.model, usage, c.provider.ir.type);
  if (usage.input || usage.output) {
    void call.snap.limiter
      .record({ consumer: call.consumer!, policy }, { tokens: usage.input + usage.output, costUsd: call.costUsd })
      .catch(() => {});
  }
}
