// The checks every `POST /v1/responses` gets, passed through or translated: the fields the gateway itself reads.
// Anything else is left to the provider (passthrough) or to `toChat` (translation), so new API fields keep
// working where the request goes to OpenAI untouched.
import { badRequest, type GatewayError } from '../../errors.ts';
import type { Json, ResponseItem, ResponsesRequest } from './types.ts';

export type FieldErrorCode = 'missing_required_parameter' | 'invalid_type' | 'invalid_value' | 'unsupported_parameter' | 'unsupported_value';

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
  if (b.input === undefined || b.input === null) throw fieldError('missing_required_parameter', 'input', 'is required: a string or an array of input items.');
  if (typeof b.input !== 'string') {
    if (!Array.isArray(b.input)) throw fieldError('invalid_type', 'input', 'must be a string or an array of input items.');
    b.input.forEach((item, i) => checkRequired(item, 'object', `input[${i}]`));
  }
  checkOptional(b.instructions, 'string', 'instructions');
  checkOptional(b.stream, 'boolean', 'stream');
  checkOptional(b.store, 'boolean', 'store');
  checkOptional(b.previous_response_id, 'string', 'previous_response_id');
  return b as ResponsesRequest;
}

/** The request's input as items: a string is one user message. This is what a store keeps of the request. */
export function inputItems(request: ResponsesRequest): ResponseItem[] {
  return typeof request.input === 'string' ? [{ type: 'message', role: 'user', content: request.input }] : request.input;
}
