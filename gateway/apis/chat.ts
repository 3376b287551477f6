// The OpenAI chat completions API (also what prompt endpoints run): every provider adapter speaks it, so the
// one leg is the adapter itself, with the answer's `model` set to the id the client asked for.
import type { IRRoute } from '../../compiler/ir/types.ts';
import { badRequest } from '../errors.ts';
import type { OutgoingChat, StreamTranslator } from '../providers/adapter.ts';
import type { Redactor } from '../snapshot.ts';
import type { TokenUsage } from '../usage.ts';
import type { Body, IngressApi, Leg } from './api.ts';
import { jsonText, ModelNamer, withValue } from './json-fields.ts';
import { openAIErrors } from './openai-errors.ts';

const MODEL = ['model'];

export const chatLeg: Leg<OutgoingChat> = {
  request: (_call, req, c) => c.provider.adapter.chat(req, c.model),
  answer(call, req, c, bytes) {
    const answer = c.provider.adapter.chatResponse(bytes, req, c.model);
    answer.body = withValue(asBuffer(answer.body), 0, MODEL, jsonText(call.requestedModel!));
    return answer;
  },
  stream: (call, req, c) => new ModelNaming(c.provider.adapter.chatStream(req.includeUsage, req, c.model), jsonText(call.requestedModel!)),
};

export const chatApi: IngressApi<OutgoingChat> = {
  name: 'chat',
  operation: 'chat',
  routeType: 'chat',
  errors: openAIErrors,
  parse(body, _raw, route) {
    if (
      !Array.isArray(body.messages) ||
      body.messages.length === 0 ||
      !body.messages.every((m: unknown) => typeof (m as Body)?.role === 'string')
    ) {
      throw badRequest('invalid_messages', '`messages` must be a non-empty array of messages, each with a `role`.');
    }
    const stream = body.stream === true;
    return { body, stream, includeUsage: stream && body.stream_options?.include_usage === true, maxTokens: cappedMaxTokens(body, route) };
  },
  redact: (req, redact) => redactMessages(req.body.messages, redact),
  prompts: (req) => req.body.messages,
  cacheBody: (req) => req.body,
  leg: () => chatLeg,
};

/** An adapter's chunks with `model` set to the requested id. */
class ModelNaming implements StreamTranslator {
  private readonly namer: ModelNamer;

  constructor(
    private readonly inner: StreamTranslator,
    model: string,
  ) {
    this.namer = new ModelNamer(model);
  }

  push(chunk: Buffer): string | Buffer {
    return this.named(this.inner.push(chunk));
  }

  end(): string | Buffer {
    return this.named(this.inner.end());
  }

  get usage(): TokenUsage {
    return this.inner.usage;
  }

  private named(events: string | Buffer): string | Buffer {
    return events.length === 0 ? events : this.namer.rename(asBuffer(events));
  }
}

const asBuffer = (b: string | Buffer) => (typeof b === 'string' ? Buffer.from(b) : b);

/** The client's `max_completion_tokens`/`max_tokens`, capped by the route; the route's value when none. */
export function cappedMaxTokens(body: Body, route: IRRoute): number | undefined {
  const asked = body.max_completion_tokens ?? body.max_tokens;
  if (typeof asked !== 'number') return route.maxTokens;
  return route.maxTokens === undefined ? asked : Math.min(asked, route.maxTokens);
}

/** Redacts message text in place: string contents and text parts (tool-call arguments stay valid JSON). */
function redactMessages(messages: Body[], redact: Redactor): void {
  for (const m of messages) {
    if (typeof m.content === 'string') m.content = redact(m.content);
    else if (Array.isArray(m.content))
      for (const part of m.content) if (part?.type === 'text' && typeof part.text === 'string') part.text = redact(part.text);
  }
}
