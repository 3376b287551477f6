// `POST /v1/responses` around the proxy: the conversation `previous_response_id` continues is read from the
// gateway's store before any provider is called (a 400 without a store, a 404 for another consumer's response),
// and the answer is kept there (by `settle`) before the client sees its end, unless the request says `store: false`.
import type { IRAccessPolicy, IRRoute } from '../../../compiler/ir/types.ts';
import type { Call } from '../../call.ts';
import { proxy } from '../../proxy.ts';
import type { IngressApi } from '../api.ts';
import { conversationHistory, rememberResponse, willStore } from './conversation.ts';
import type { ResponsesApiRequest } from './request.ts';
import type { ResponseObject } from './types.ts';

export async function serveResponses(
  call: Call,
  api: IngressApi<ResponsesApiRequest>,
  route: IRRoute,
  policy: IRAccessPolicy,
  req: ResponsesApiRequest,
): Promise<void> {
  const store = call.snap.responses;
  req.history = await conversationHistory(store, call.consumer!, req.body);
  req.stored = willStore(store, req.body);
  await proxy(call, api, route, policy, req);
}

/**
 * Keeps the answer when the request asked for it: awaited by the proxy before the answer ends. A response the
 * guardrails masked is kept masked: `GET /v1/responses/{id}` and a continuation's history never hold what matched.
 */
export async function keepResponse(call: Call, req: ResponsesApiRequest, masked?: string | Buffer): Promise<void> {
  if (!req.response) return;
  if (masked !== undefined) req.response = JSON.parse(masked.toString()) as ResponseObject;
  try {
    await rememberResponse(call.snap.responses, call.consumer!, req.body, req.response);
  } catch (err) {
    throw new Error(`response ${req.response.id} was answered but could not be stored: ${(err as Error).message}`);
  }
}
