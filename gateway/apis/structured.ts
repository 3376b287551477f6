// A prompt's own endpoint with a response schema: chat completions asking for structured output (OpenAI's
// `response_format: json_schema`, which the Anthropic and Bedrock adapters restate as forced tool use, Gemini's as
// a response schema), whose answer is the JSON object the model wrote, checked against the schema. An answer off
// the schema is a `NonConformingAnswer`: the proxy asks once more, then answers 502 naming the schema error.
// One API per such prompt, made by the handler on the prompt's first call.
import { GatewayError } from '../errors.ts';
import type { OutgoingChat } from '../providers/adapter.ts';
import type { TokenUsage } from '../usage.ts';
import type { IngressApi, Leg } from './api.ts';
import { chatApi, chatLeg } from './chat.ts';

/** A 2xx answer that is not JSON, or not of the response schema; carries the tokens it cost. */
export class NonConformingAnswer extends Error {
  constructor(
    readonly error: GatewayError,
    readonly usage: TokenUsage,
  ) {
    super(error.message);
  }
}

/**
 * The API of prompt `prompt` answering JSON of `schema`; `responseError` gives the first schema error of a value
 * (undefined when it conforms). `parse` takes the rendered prompt's chat body and asks for structured output.
 */
export function structuredApi(
  prompt: string,
  schema: Record<string, unknown>,
  responseError: (value: unknown) => string | undefined,
): IngressApi<OutgoingChat> {
  const responseFormat = { type: 'json_schema', json_schema: { name: schemaName(prompt), schema, strict: isStrict(schema) } };
  const leg: Leg<OutgoingChat> = {
    request: chatLeg.request,
    answer(_call, req, c, bytes) {
      const answer = c.provider.adapter.chatResponse(bytes, req, c.model);
      const text = JSON.parse(answer.body.toString()).choices?.[0]?.message?.content;
      const refuse = (why: string) =>
        new NonConformingAnswer(
          new GatewayError(
            502,
            'api_error',
            'response_schema_mismatch',
            `The model's answer does not match the response schema of prompt "${prompt}" (asked twice): ${why}.`,
          ),
          answer.usage,
        );
      let value: unknown;
      try {
        value = JSON.parse(typeof text === 'string' ? text : '');
      } catch {
        throw refuse('the answer is not JSON');
      }
      const error = responseError(value);
      if (error !== undefined) throw refuse(error);
      return { body: JSON.stringify(value), usage: answer.usage };
    },
    stream() {
      throw new Error('a structured answer is never streamed: its endpoint refuses a stream first');
    },
  };
  return {
    ...chatApi,
    name: 'prompt',
    parse(body, raw, route) {
      body.response_format = responseFormat;
      return { ...chatApi.parse(body, raw, route), stream: false, includeUsage: false };
    },
    answerUsageInHeaders: true,
    leg: () => leg,
  };
}

/** The name the schema travels under (OpenAI allows `^[a-zA-Z0-9_-]{1,64}$`; Anthropic's forced tool takes it). */
const schemaName = (prompt: string) => prompt.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);

/**
 * Whether OpenAI's strict mode takes the schema: every object closed (`additionalProperties: false`) with all its
 * properties required. A schema it would refuse goes without strict; the gateway checks the answer either way.
 */
export function isStrict(schema: unknown): boolean {
  if (Array.isArray(schema)) return schema.every(isStrict);
  if (!schema || typeof schema !== 'object') return true;
  const s = schema as Record<string, unknown>;
  if (s.type === 'object' || s.properties) {
    const properties = Object.keys((s.properties ?? {}) as object);
    const required = new Set(Array.isArray(s.required) ? s.required : []);
    if (s.additionalProperties !== false || !properties.every((p) => required.has(p))) return false;
  }
  return Object.entries(s).every(([key, value]) => key === 'enum' || key === 'const' || key === 'examples' || isStrict(value));
}
