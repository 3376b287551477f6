// What an ingress API (chat completions, Anthropic Messages, OpenAI Responses, ...) is to the proxy: how its
// requests are checked and redacted, how its errors look, and how it reaches each provider model, either in
// the provider's own dialect (passthrough) or through the provider's chat adapter (the chat pivot).
import type { IRRoute } from '../../compiler/ir/types.ts';
import type { Call } from '../call.ts';
import type { Answer, StreamTranslator, UpstreamCall } from '../providers/adapter.ts';
import type { Candidate } from '../routing.ts';
import type { Redactor } from '../snapshot.ts';
import type { ApiFace } from './face.ts';

export type Body = Record<string, any>;

/** A validated request of some API; the API's own type adds what its legs need. */
export interface ApiRequest {
  /** The client's body, parsed (redaction edits it in place). */
  readonly body: Body;
  readonly stream: boolean;
}

/**
 * How one request reaches one provider model. Legs are made once per API, not per request: everything about
 * the request comes in as arguments, and none uses `this` (the proxy passes `answer` on unbound).
 * `call.requestedModel` is the model id an answer must name.
 */
export interface Leg<R extends ApiRequest> {
  /** The upstream call for this candidate; throws a 400 `GatewayError` for what the candidate cannot express. */
  /** A promise when building the call is asynchronous (request signing). */
  request(call: Call, req: R, c: Candidate): UpstreamCall | Promise<UpstreamCall>;
  /** A 2xx non-streaming upstream body as this API's answer, with its usage; throws when it cannot be read. */
  answer(call: Call, req: R, c: Candidate, bytes: Buffer): Answer;
  /** Turns the upstream event stream into this API's events. */
  stream(call: Call, req: R, c: Candidate): StreamTranslator;
}

/** What an endpoint needs to read a request of an API. */
export interface RequestReader<R extends ApiRequest> extends ApiFace {
  /** The route type the API serves. */
  readonly routeType: IRRoute['type'];
  /**
   * Checks a parsed body (`raw` is its bytes) before anything else happens: a 400 naming the field, in this API's
   * shape, for what the API itself does not accept. Checks that depend on the provider come in `Leg.request`.
   */
  parse(body: Body, raw: Buffer, route: IRRoute): R;
}

export interface IngressApi<R extends ApiRequest> extends RequestReader<R> {
  /** Redacts every text the request carries, in place. */
  redact(req: R, redact: Redactor): void;
  /** What `logging.usage.includePrompts` writes to the usage line. */
  prompts(req: R): unknown[] | undefined;
  /** Whether an answer may be cached and under what: undefined for never (the proxy never caches streams). */
  cacheBody(req: R): unknown;
  /**
   * Work the answer depends on, done before the client sees its end (a stored response must be readable by the
   * time its answer is complete); a rejection is logged once the answer is out. `masked`: a JSON answer as the
   * response guardrails rewrote it, when they did (what the client gets, unlike the answer the leg read).
   * Undefined when there is nothing to do for this request.
   */
  settle?(call: Call, req: R, masked?: string | Buffer): Promise<void> | undefined;
  /** Answers carry no `usage` member (a prompt's JSON object): tokens and cost go in response headers instead. */
  readonly answerUsageInHeaders?: boolean;
  /** The leg for this candidate: passthrough when its provider speaks the API, the chat pivot otherwise. */
  leg(c: Candidate): Leg<R>;
}
