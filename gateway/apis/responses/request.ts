// The checks every `POST /v1/responses` gets, passed through or translated: the fields the gateway itself reads.
// Anything else is left to the provider (passthrough) or to `toChat` (translation), so new API fields keep
// working where the request goes to OpenAI untouched. Also the request as the ingress framework holds it, and its
// redaction.
import type { IRRoute } from '../../../compiler/ir/types.ts';
import { badRequest, type GatewayError } from '../../errors.ts';
import type { Redactor } from '../../snapshot.ts';
import type { Body } from '../api.ts';
import type { PivotRequest } from '../chat-pivot.ts';
import { markingRedactor, type RawRequest } from '../passthrough.ts';
import type { Json, ResponseItem, ResponseObject, ResponsesRequest } from './types.ts';

export type FieldErrorCode =
  | 'missing_required_parameter'
  | 'invalid_type'
  | 'invalid_value'
  | 'unsupported_parameter'
  | 'unsupported_value';

/** A 400 whose message starts with the field, so a client sees at once what to change. */
export const fieldError = (code: FieldErrorCode, field: string, message: string): GatewayError => badRequest(code, `'${field}' ${message}`);

export type Kind = 'string' | 'boolean' | 'number' | 'integer' | 'object' | 'array';

export function isKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === kind;
  }
}

/** Throws unless `value` is of `kind`; null and absent pass, as OpenAI treats them as unset. */
export function checkOptional(value: unknown, kind: Kind, field: string): void {
  if (value !== undefined && value !== null && !isKind(value, kind)) throw fieldError('invalid_type', field, `must be ${article(kind)}.`);
}

export function checkRequired(value: unknown, kind: Kind, field: string): void {
  if (value === undefined || value === null) throw fieldError('missing_required_parameter', field, 'is required.');
  checkOptional(value, kind, field);
}

const article = (kind: Kind) => (kind === 'integer' || kind === 'object' || kind === 'array' ? `an ${kind}` : `a ${kind}`);

/** Validates what the gateway reads of a Responses request (routing, streaming, conversation state). */
export function validateRequest(body: unknown): ResponsesRequest {
  if (!isKind(body, 'object')) throw badRequest('invalid_type', 'The request body must be a JSON object.');
  const b = body as Json;
  checkRequired(b.model, 'string', 'model');
  if (b.model === '') throw fieldError('invalid_value', 'model', 'must not be empty.');
  if (b.input === undefined || b.input === null)
    throw fieldError('missing_required_parameter', 'input', 'is required: a string or an array of input items.');
  if (typeof b.input !== 'string') {
    if (!Array.isArray(b.input)) throw fieldError('invalid_type', 'input', 'must be a string or an array of input items.');
    // The item's path is written only for the error that names it: a long history is checked without making one.
    for (let i = 0; i < b.input.length; i++) if (!isKind(b.input[i], 'object')) checkRequired(b.input[i], 'object', `input[${i}]`);
  }
  checkOptional(b.instructions, 'string', 'instructions');
  checkOptional(b.stream, 'boolean', 'stream');
  checkOptional(b.store, 'boolean', 'store');
  checkOptional(b.previous_response_id, 'string', 'previous_response_id');
  checkOptional(b.max_output_tokens, 'integer', 'max_output_tokens');
  if ((b.max_output_tokens as number) < 1) throw fieldError('invalid_value', 'max_output_tokens', 'must be at least 1.');
  // OpenAI-side state is shared by every consumer of the gateway's key: each keeps its own in the gateway's store.
  if (b.conversation != null)
    throw fieldError(
      'unsupported_parameter',
      'conversation',
      `is not supported by this gateway: continue a conversation with 'previous_response_id' (${STATE}).`,
    );
  if (Array.isArray(b.input)) {
    const at = (b.input as Json[]).findIndex((item) => item.type === 'item_reference');
    if (at >= 0)
      throw fieldError(
        'unsupported_value',
        `input[${at}].type`,
        `"item_reference" items are not supported by this gateway: send the item itself, or continue with 'previous_response_id' (${STATE}).`,
      );
  }
  return b as ResponsesRequest;
}

const STATE = 'conversation state is kept per consumer in gateway.stores.responses';

/** The request's input as items: a string is one user message. This is what a store keeps of the request. */
export function inputItems(request: ResponsesRequest): ResponseItem[] {
  return typeof request.input === 'string' ? [{ type: 'message', role: 'user', content: request.input }] : request.input;
}

/** A Responses request as the ingress framework holds it. */
export interface ResponsesApiRequest extends PivotRequest, RawRequest {
  readonly body: ResponsesRequest;
  /** `max_output_tokens` capped by the route: what the answer may take; undefined when neither sets one. */
  readonly maxTokens: number | undefined;
  /** The route caps `max_output_tokens`: passthrough writes `maxTokens` into the body. */
  readonly capped: boolean;
  /** The items of the conversation `previous_response_id` continues, oldest first (read before any leg runs). */
  history: ResponseItem[];
  /** The gateway keeps the response (`willStore`). */
  stored: boolean;
  /** The finished Response, for the store: set by the leg that answered, when known. */
  response?: ResponseObject;
}

export function parseResponses(body: Body, raw: Buffer, route: IRRoute): ResponsesApiRequest {
  const request = validateRequest(body);
  const asked = request.max_output_tokens as number | null | undefined;
  const maxTokens = route.maxTokens === undefined ? (asked ?? undefined) : Math.min(asked ?? route.maxTokens, route.maxTokens);
  return {
    body: request,
    raw,
    edited: false,
    stream: request.stream === true,
    maxTokens,
    capped: route.maxTokens !== undefined,
    history: [],
    stored: false,
  };
}

/**
 * Redacts, in place, every text the request sends: `instructions`, message text (earlier answers handed back
 * included), tool outputs, and the same in the history `previous_response_id` brought. Tool-call arguments are the
 * model's own output, and stay valid JSON.
 */
export function redactResponses(req: ResponsesApiRequest, redact: Redactor): void {
  const r = markingRedactor(req, redact);
  const { body } = req;
  if (typeof body.instructions === 'string') body.instructions = r(body.instructions);
  if (typeof body.input === 'string') body.input = r(body.input);
  else redactItems(body.input, r);
  redactItems(req.history, r);
}

function redactItems(items: Json[], r: Redactor): void {
  for (const item of items) {
    if (item.output !== undefined)
      item.output = redactContent(item.output, r); // function and custom tool outputs
    else if (item.content !== undefined) item.content = redactContent(item.content, r);
  }
}

/** A string, or the `text` of each part (input_text, output_text); other parts are left alone. */
function redactContent(content: unknown, r: Redactor): unknown {
  if (typeof content === 'string') return r(content);
  if (Array.isArray(content)) for (const part of content) if (typeof part?.text === 'string') part.text = r(part.text);
  return content;
}
