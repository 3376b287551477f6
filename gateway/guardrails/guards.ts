// The guardrails one request runs through (its access policy's, then its route's), at each stage: the request's
// texts before anything leaves, a JSON answer before the client sees it, a stream event by event over a sliding
// window. Verdicts go to the call (usage line, metrics), never the text that matched.
import type { IRGuardrail } from '../../compiler/ir/types.ts';
import type { ApiRequest, IngressApi } from '../apis/api.ts';
import type { Call } from '../call.ts';
import { GatewayError } from '../errors.ts';
import type { StreamTranslator } from '../providers/adapter.ts';
import { answerSlots } from './answer-texts.ts';
import type { Checker, CheckResult, Stage } from './checkers.ts';
import { GuardedStream, streamGuards } from './guarded-stream.ts';

export interface Guard {
  ir: IRGuardrail;
  checker: Checker;
}

export class Guards {
  private readonly onRequest: Guard[];
  private readonly onResponse: Guard[];
  private readonly onStream: Guard[];

  constructor(guards: readonly Guard[]) {
    this.onRequest = guards.filter((g) => g.ir.stage !== 'response');
    this.onResponse = guards.filter((g) => g.ir.stage !== 'request');
    this.onStream = streamGuards(this.onResponse);
  }

  /** Checks the request's texts in place (masks rewrite them); throws the refusal. */
  async request<R extends ApiRequest>(call: Call, api: IngressApi<R>, req: R): Promise<void> {
    if (this.onRequest.length === 0) return;
    let texts: string[] = [];
    api.redact(req, (t) => (texts.push(t), t));
    for (const g of this.onRequest) {
      if (texts.length === 0) return;
      const masked = await apply(call, g, 'request', texts);
      if (!masked) continue;
      // The API visits its texts in the same order each time: the i-th visited is the i-th checked.
      let i = 0;
      api.redact(req, () => masked[i++]!);
      texts = masked;
    }
  }

  /** A non-streaming answer after the response-side guardrails: as it was, masked, or a refusal thrown. */
  async answer(call: Call, body: Buffer | string): Promise<Buffer | string> {
    if (this.onResponse.length === 0 || call.api.name === 'embeddings') return body;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString());
    } catch {
      return body;
    }
    const slots = answerSlots(parsed);
    if (slots.length === 0) return body;
    let texts = slots.map((s) => s.holder[s.key] as string);
    let changed = false;
    for (const g of this.onResponse) {
      const masked = await apply(call, g, 'response', texts);
      if (!masked) continue;
      texts = masked;
      changed = true;
    }
    if (!changed) return body;
    slots.forEach((s, i) => (s.holder[s.key] = texts[i]));
    return JSON.stringify(parsed);
  }

  /** The stream with the response-side guardrails applied as it goes; the translator itself when there are none. */
  stream(call: Call, inner: StreamTranslator): StreamTranslator {
    if (this.onStream.length === 0) return inner;
    return new GuardedStream(call, inner, this.onStream);
  }
}

/**
 * Runs one guardrail: undefined when the texts pass (or are only flagged), the masked texts for a mask; throws a
 * block, or the failure of a checker whose `onError` is deny.
 */
export async function apply(call: Call, g: Guard, stage: Stage, texts: string[]): Promise<string[] | undefined> {
  const result = await check(call, g, stage, texts);
  if (!result || result.categories.length === 0) return undefined;
  const action = g.ir.action === 'mask' && !result.masked ? 'block' : g.ir.action;
  call.verdict({ guardrail: g.ir.name, stage, action, categories: result.categories });
  if (action === 'flag') return undefined;
  if (action === 'block') throw blocked(g.ir.name, stage, result.categories);
  return result.masked;
}

/** The built-in checkers run inline and are never cut short. */
const NEVER = new AbortController().signal;

/** The checker's answer within the guardrail's timeout; undefined when it failed and `onError` allows. */
async function check(call: Call, g: Guard, stage: Stage, texts: string[]): Promise<CheckResult | undefined> {
  if (g.checker.builtIn) return g.checker.check(texts, stage, g.ir.action === 'mask', NEVER);
  const signal = AbortSignal.timeout(g.ir.timeoutMs);
  try {
    return await g.checker.check(texts, stage, g.ir.action === 'mask', signal);
  } catch {
    const category = signal.aborted ? 'timeout' : 'unavailable';
    call.verdict({ guardrail: g.ir.name, stage, action: 'error', categories: [category] });
    if (g.ir.onError === 'allow') return undefined;
    throw new GatewayError(
      503,
      'api_error',
      'guardrail_unavailable',
      `Guardrail "${g.ir.name}" could not check the ${stage} (${category}) and its onError is deny; try again shortly.`,
    );
  }
}

export function blocked(guardrail: string, stage: Stage, categories: readonly string[]): GatewayError {
  const what = stage === 'request' ? 'The request was' : 'The answer was';
  return new GatewayError(
    400,
    'invalid_request_error',
    'guardrail_blocked',
    `${what} blocked by guardrail "${guardrail}" (${categories.join(', ')}).`,
  );
}
