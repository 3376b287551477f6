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
  // Read only for a continued conversation: no promise to wait on otherwise.
  req.history = req.body.previous_response_id ? await conversationHistory(store, call.consumer!, req.body) : [];
  req.stored = willStore(store, req.body);
  await proxy(call, api, route, policy, req);
}

/**
 * Keeps the answer when the request asked for it: awaited by the proxy before the answer ends. A response the
 * guardrails masked is kept masked: `GET /v1/responses/{id}` and a continuation's history never hold what matched.
 */
export function keepResponse(call: Call, req: ResponsesApiRequest, masked?: string | Buffer): Promise<void> | undefined {
  return req.response ? storeResponse(call, req, req.response, masked) : undefined;
}

async function storeResponse(call: Call, req: ResponsesApiRequest, answered: ResponseObject, masked?: string | Buffer): Promise<void> {
  const response = masked === undefined ? answered : (JSON.parse(masked.toString()) as ResponseObject);
  req.response = response;
  try {
    await rememberResponse(call.snap.responses, call.consumer!, req.body, response);
  } catch (err) {
    throw new Error(`response ${response.id} was answered but could not be stored: ${(err as Error).message}`);
  }
}
