// The guardrails one request runs through (its access policy's, then its route's), at each stage: the request's
// texts before anything leaves, a JSON answer before the client sees it, a stream event by event over a sliding
// window. Verdicts go to the call (usage line, metrics), never the text that matched.
import type { StreamTranslator } from '../providers/adapter.ts';
import { answerSlots, type Slot } from './answer-texts.ts';
import { StreamGuard, type StreamGuards, streamGuards } from './guarded-stream.ts';
import { apply, type Guard, type GuardedCall } from './run.ts';

/** The texts of a request, visited in a stable order: an ingress API's `redact` hook. */
interface TextVisitor<R> {
  redact(req: R, visit: (text: string) => string): void;
}

/** The texts after a guardrail: as they were, or masked and written back through `visit`. */
function rewritten(visit: VisitTexts, texts: string[], masked: string[] | undefined): string[] {
  if (!masked) return texts;
  // The texts are visited in the same order each time: the i-th visited is the i-th checked.
  let i = 0;
  visit(() => masked[i++]!);
  return masked;
}

/** Visits the texts of something in a stable order, each replaced by what `rewrite` returns. */
export type VisitTexts = (rewrite: (text: string) => string) => void;

export class Guards {
  private readonly onRequest: Guard[];
  private readonly onResponse: Guard[];
  private readonly onStream: StreamGuards;

  constructor(guards: readonly Guard[]) {
    this.onRequest = guards.filter((g) => g.ir.stage !== 'response');
    this.onResponse = guards.filter((g) => g.ir.stage !== 'request');
    this.onStream = streamGuards(this.onResponse);
  }

  /** Checks the request's texts in place (masks rewrite them); throws the refusal. */
  request<R>(call: GuardedCall, api: TextVisitor<R>, req: R): Promise<void> | undefined {
    return this.texts(call, (rewrite) => api.redact(req, rewrite));
  }

  /**
   * The request-side guardrails over any texts (an MCP tool call's arguments too): masks through `visit`.
   * Synchronous (a refusal thrown) while the checkers are built in; a promise from the first remote one on.
   */
  texts(call: GuardedCall, visit: VisitTexts): Promise<void> | undefined {
    if (this.onRequest.length === 0) return undefined;
    const texts: string[] = [];
    visit((t) => (texts.push(t), t));
    return this.requestFrom(0, call, visit, texts);
  }

  private requestFrom(first: number, call: GuardedCall, visit: VisitTexts, texts: string[]): Promise<void> | undefined {
    for (let i = first; i < this.onRequest.length && texts.length > 0; i++) {
      const masked = apply(call, this.onRequest[i]!, 'request', texts);
      if (masked instanceof Promise) return masked.then((m) => this.requestFrom(i + 1, call, visit, rewritten(visit, texts, m)));
      texts = rewritten(visit, texts, masked);
    }
    return undefined;
  }

  /** A non-streaming answer after the response-side guardrails: as it was, masked, or a refusal thrown. */
  async answer(call: GuardedCall, body: Buffer | string): Promise<Buffer | string> {
    if (this.onResponse.length === 0 || call.api.name === 'embeddings') return body;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString());
    } catch {
      return body;
    }
    const slots = answerSlots(parsed, call.api.name === 'prompt');
    if (slots.length === 0) return body;
    return (await this.checkSlots(call, slots)) ? JSON.stringify(parsed) : body;
  }

  /** Whether any guardrail checks answers: when none does, an answer need not even be parsed. */
  get checksAnswers(): boolean {
    return this.onResponse.length > 0;
  }

  /**
   * The response-side guardrails over the texts in an answer's slots (an MCP tool call's result too): whether they
   * masked any, the masked texts then written back into the slots; a refusal thrown.
   */
  async checkSlots(call: GuardedCall, slots: readonly Slot[]): Promise<boolean> {
    let texts = slots.map((s) => s.holder[s.key] as string);
    let changed = false;
    for (const g of this.onResponse) {
      const masked = await apply(call, g, 'response', texts);
      if (!masked) continue;
      texts = masked;
      changed = true;
    }
    if (changed) slots.forEach((s, i) => (s.holder[s.key] = texts[i]));
    return changed;
  }

  /** The response-side guardrails over a stream of `inner`'s events, as it goes; undefined when there are none. */
  stream(call: GuardedCall, inner: StreamTranslator): StreamGuard | undefined {
    if (this.onResponse.length === 0) return undefined;
    return new StreamGuard(call, inner, this.onStream);
  }
}
