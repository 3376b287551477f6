// What every call knows of its ingress API: its name (usage lines, metrics) and the shape of its errors. A leaf
// module, so that the call and the HTTP plumbing can hold an API without depending on the proxy's types.
import type { UsageRecord } from '../../schema/types.ts';
import type { GatewayError } from '../errors.ts';

export type ApiName = UsageRecord['api'];

/** How an API writes a `GatewayError`. */
export interface ErrorShape {
  /** The HTTP status the client gets (an API may use its own, like Anthropic's 529 for overload). */
  status(err: GatewayError): number;
  /** The JSON error body. */
  body(err: GatewayError): string;
  /** The event that ends a stream already under way. */
  event(err: GatewayError): string;
}

export interface ApiFace {
  readonly name: ApiName;
  readonly errors: ErrorShape;
  /** The GenAI operation its requests are (`gen_ai.operation.name` of their spans); none where no model answers. */
  readonly operation?: GenAiOperation;
}

/** The operations of the OpenTelemetry GenAI conventions that the gateway serves. */
export type GenAiOperation = 'chat' | 'embeddings';
