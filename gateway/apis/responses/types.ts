// The OpenAI Responses API as plain JSON, as far as the gateway reads or writes it. The official SDK's types
// (openai/resources/responses) are the reference; these name only the fields used here.

export type Json = Record<string, unknown>;

/** A `POST /v1/responses` body that passed `validateRequest`: the fields every route reads are checked. */
export interface ResponsesRequest extends Json {
  model: string;
  input: string | Json[];
  instructions?: string | null;
  stream?: boolean | null;
  store?: boolean | null;
  previous_response_id?: string | null;
}

/** An input or output item (`message`, `function_call`, `function_call_output`, `reasoning`, ...). */
export type ResponseItem = Json;

export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponseStatus = 'completed' | 'incomplete' | 'in_progress' | 'failed';

/** The `Response` object: what `POST /v1/responses` answers and `GET /v1/responses/{id}` returns. */
export interface ResponseObject extends Json {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponseStatus;
  model: string;
  output: ResponseItem[];
  usage: ResponseUsage | null;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
}
