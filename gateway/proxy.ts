// The upstream half of a request, once the caller is known and the route authorised: limits, redaction, cache,
// then the attempts (JSON answers passed through as bytes, streams forwarded event by event).
import type { IRAccessPolicy, IRRoute } from '../compiler/ir/types.ts';
import { cacheKey } from './cache/index.ts';
import type { Call } from './call.ts';
import { forbidden, GatewayError } from './errors.ts';
import { startSse, sseData } from './http/sse.ts';
import { answerWithModel, streamWithModel } from './model-field.ts';
import type { Answer, OutgoingChat, StreamTranslator, UpstreamCall } from './providers/adapter.ts';
import { openAIAnswer } from './providers/openai.ts';
import { failureError, UpstreamFailure } from './providers/upstream-errors.ts';
import { withFallbacks, type Candidate, type RoutePlan } from './routing.ts';
import type { Redactor } from './snapshot.ts';
import { UpstreamExchange } from './upstream.ts';
import { costUsd, type TokenUsage } from './usage.ts';

type Body = Record<string, any>;

export async function proxyChat(call: Call, route: IRRoute, policy: IRAccessPolicy, body: Body): Promise<void> {
  const plan = await admit(call, route, policy);
  const redact = call.snap.redactor(policy);
  if (redact) redactMessages(body.messages, redact);
  if (call.snap.ir.gateway.logging.usage.includePrompts) call.messages = body.messages;
  const stream = body.stream === true;
  call.stream = stream;
  const out: OutgoingChat = { body, stream, includeUsage: stream && body.stream_options?.include_usage === true, maxTokens: cappedMaxTokens(body, route) };
  if (stream) return streamChat(call, route, policy, plan, out);
  await complete(call, route, policy, plan, body, (c) => c.provider.adapter.chat(out, c.model), (c, bytes) => answerWithModel(c.provider.adapter.chatResponse(bytes, c.model), call.answerModel));
}

export async function proxyEmbeddings(call: Call, route: IRRoute, policy: IRAccessPolicy, body: Body): Promise<void> {
  const plan = await admit(call, route, policy);
  const redact = call.snap.redactor(policy);
  if (redact && typeof body.input === 'string') body.input = redact(body.input);
  else if (redact && Array.isArray(body.input)) body.input = body.input.map((i: unknown) => (typeof i === 'string' ? redact(i) : i));
  await complete(
    call,
    route,
    policy,
    plan,
    body,
    (c) => {
      if (!c.provider.adapter.embeddings) throw new GatewayError(502, 'api_error', 'unsupported_operation', `Provider "${c.provider.ir.name}" has no embeddings API.`);
      return c.provider.adapter.embeddings(body, c.model);
    },
    (_c, bytes) => openAIAnswer(bytes),
  );
}

/** Checks the policy's limits (429 with retry-after) and that it allows some model of the route (403). */
async function admit(call: Call, route: IRRoute, policy: IRAccessPolicy): Promise<RoutePlan> {
  const plan = call.snap.plan(policy, route);
  if (plan.targets.items.length === 0 && plan.fallbacks.length === 0) {
    throw forbidden('model_not_permitted', `Access policy "${policy.name}" allows none of the provider models behind "${route.name}".`);
  }
  let decision;
  try {
    decision = await call.snap.limiter.admit({ consumer: call.consumer!, policy });
  } catch {
    throw new GatewayError(503, 'api_error', 'limits_unavailable', 'The rate-limit store is unavailable; try again shortly.');
  }
  Object.assign(call.headers, decision.headers);
  if (!decision.allowed) {
    call.metrics.rateLimited(call.consumer!, decision.reason ?? 'requests');
    const headers = { 'retry-after': String(decision.retryAfterSeconds ?? 1) };
    if (decision.reason === 'budget') {
      throw new GatewayError(429, 'insufficient_quota', 'insufficient_quota', `The monthly budget of access policy "${policy.name}" is spent.`, headers);
    }
    const what = decision.reason === 'tokens' ? 'tokens per minute' : 'requests per minute';
    throw new GatewayError(429, 'rate_limit_error', 'rate_limit_exceeded', `Rate limit reached: ${what} of access policy "${policy.name}".`, headers);
  }
  return plan;
}

/** Non-streaming: cache lookup, attempts, then the usage line, then the response. */
async function complete(
  call: Call,
  route: IRRoute,
  policy: IRAccessPolicy,
  plan: RoutePlan,
  body: Body,
  request: (c: Candidate) => UpstreamCall | Promise<UpstreamCall>,
  parse: (c: Candidate, bytes: Buffer) => Answer,
): Promise<void> {
  const key = route.cache.enabled ? cacheKey(route.name, body) : undefined;
  if (key !== undefined) {
    const hit = await call.snap.cache.get(key).catch(() => undefined);
    call.metrics.cacheLookup(route.name, hit !== undefined);
    call.cache = hit === undefined ? 'miss' : 'hit';
    call.headers['x-cache'] = call.cache;
    if (hit !== undefined) return call.respond(200, hit);
  }
  const { answer, candidate } = await attempt(call, route, plan, async (c, timeoutMs) => {
    const ex = exchange(call, await request(c), c, timeoutMs);
    const status = await ex.status;
    if (status !== 200) throw await statusFailure(c, ex, status);
    const bytes = await ex.readBody();
    try {
      return parse(c, bytes);
    } catch {
      throw new GatewayError(502, 'api_error', 'upstream_invalid_response', `Provider "${c.provider.ir.name}" sent an answer the gateway could not read.`);
    }
  });
  account(call, candidate, answer.usage, policy);
  if (key !== undefined) void call.snap.cache.set(key, answer.body.toString(), route.cache.ttlMs).catch(() => {});
  call.respond(200, answer.body);
}

function exchange(call: Call, request: UpstreamCall, c: Candidate, timeoutMs: number): UpstreamExchange {
  return new UpstreamExchange(request, c.provider.pool, timeoutMs, call.scope, call.snap.ir.gateway.limits.maxResponseBytes);
}

/** Streaming: nothing reaches the client until the first translated event, so failures before it still retry. */
async function streamChat(call: Call, route: IRRoute, policy: IRAccessPolicy, plan: RoutePlan, out: OutgoingChat): Promise<void> {
  const deadline = call.deadline(route);
  await attempt(call, route, plan, async (c, timeoutMs) => {
    const ex = exchange(call, await c.provider.adapter.chat(out, c.model), c, timeoutMs);
    const status = await ex.status;
    if (status !== 200) throw await statusFailure(c, ex, status);
    await relayStream(call, c, ex, streamWithModel(c.provider.adapter.chatStream(out.includeUsage, c.model), call.answerModel), deadline, policy);
  });
}

/** An error answer, restated by the provider's adapter when its errors are shaped otherwise. */
async function statusFailure(c: Candidate, ex: UpstreamExchange, status: number): Promise<UpstreamFailure> {
  const failure = await ex.statusFailure(status);
  return c.provider.adapter.failure?.(failure) ?? failure;
}

/**
 * Forwards translated events as they come, with backpressure. Resolves when the stream is over for the client;
 * rejects (so the attempt loop may retry) only while nothing has been sent.
 */
function relayStream(call: Call, c: Candidate, ex: UpstreamExchange, translator: StreamTranslator, deadline: number, policy: IRAccessPolicy): Promise<void> {
  const res = call.res;
  let committed = false;
  let settled = false;
  let draining = false;
  /** Writes to the client; false while its socket is full (the upstream waits for the drain). */
  const forward = (text: string | Buffer): boolean => {
    if (res.destroyed) return true; // the client left; cancellation is already aborting the upstream call
    if (!committed) {
      committed = true;
      // From here the route's deadline, not the per-attempt timeout, bounds the stream.
      ex.setTimer(deadline - performance.now());
      setProviderHeaders(call, c);
      startSse(res, call.headers);
    }
    if (res.write(text)) return true;
    if (!draining) {
      draining = true;
      res.once('drain', () => {
        draining = false;
        ex.resume();
      });
    }
    return false;
  };
  return new Promise<void>((resolve, reject) => {
    const finish = (tail: string | Buffer, error?: GatewayError) => {
      account(call, c, translator.usage, policy);
      call.finish(200, error?.code);
      if (!res.destroyed) res.end(tail);
      resolve();
    };
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      ex.abort();
      const failure = ex.failure(err);
      if (!committed) return reject(failure);
      // Bytes already reached the client: no retry; end the stream with an OpenAI-style error event.
      const error = failureError(failure, c.provider.ir.name);
      finish(sseData(error.toJSON()), error);
    };
    ex.relay({
      data(chunk) {
        if (settled) return false;
        try {
          const text = translator.push(chunk);
          return text.length === 0 || forward(text);
        } catch (err) {
          fail(err);
          return false;
        }
      },
      end() {
        if (settled) return;
        let tail: string | Buffer;
        try {
          tail = translator.end();
        } catch (err) {
          return fail(err);
        }
        settled = true;
        if (!committed) forward('');
        finish(tail);
      },
      error: fail,
    });
  });
}

/** The retry/fallback loop with this call's deadline, cancellation and metrics; maps the final failure. */
async function attempt<T>(call: Call, route: IRRoute, plan: RoutePlan, run: (c: Candidate, timeoutMs: number) => Promise<T>) {
  try {
    const answer = await withFallbacks(plan, {
      route,
      deadline: call.deadline(route),
      log: call.attempts,
      isCancelled: () => call.clientGone,
      onAttempt: (c, outcome, ms) => call.metrics.upstreamAttempt(c.provider.ir.name, c.model.name, outcome, ms),
    }, run);
    return { answer, candidate: call.attempts.last! };
  } catch (err) {
    if (err instanceof UpstreamFailure) throw failureError(err, call.attempts.last?.provider.ir.name ?? route.name);
    throw err;
  }
}

function setProviderHeaders(call: Call, c: Candidate): void {
  call.headers['x-modelgate-provider'] = c.provider.ir.name;
  call.headers['x-modelgate-model'] = c.model.name;
}

/** Tokens and cost into the call (usage line) and the limiter (after the fact: it never delays the answer). */
function account(call: Call, c: Candidate, usage: TokenUsage, policy: IRAccessPolicy): void {
  setProviderHeaders(call, c);
  call.usage = usage;
  call.costUsd = costUsd(c.model, usage);
  if (usage.input || usage.output) {
    void call.snap.limiter.record({ consumer: call.consumer!, policy }, { tokens: usage.input + usage.output, costUsd: call.costUsd }).catch(() => {});
  }
}

/** The client's `max_completion_tokens`/`max_tokens`, capped by the route; the route's value when none. */
function cappedMaxTokens(body: Body, route: IRRoute): number | undefined {
  const asked = body.max_completion_tokens ?? body.max_tokens;
  if (typeof asked !== 'number') return route.maxTokens;
  return route.maxTokens === undefined ? asked : Math.min(asked, route.maxTokens);
}

/** Redacts message text in place: string contents and text parts (tool-call arguments stay valid JSON). */
function redactMessages(messages: Body[], redact: Redactor): void {
  for (const m of messages) {
    if (typeof m.content === 'string') m.content = redact(m.content);
    else if (Array.isArray(m.content)) for (const part of m.content) if (part?.type === 'text' && typeof part.text === 'string') part.text = redact(part.text);
  }
}
