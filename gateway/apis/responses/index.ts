// The OpenAI Responses API (`/v1/responses`) for the ingress framework: pure translation to and from the chat
// pivot, usage of passed-through answers, and conversation state. See README.md for how the parts fit.
export { validateRequest, inputItems } from './request.ts';
export { toChat, type ChatTranslation } from './to-chat.ts';
export { fromChatAnswer } from './from-chat.ts';
export type { ResponseContext } from './response.ts';
export { ResponsesStreamTranslator, STREAM_CUT } from './stream.ts';
export { usageFromResponse, ResponsesUsageReader } from './passthrough-usage.ts';
export {
  createMemoryResponseStore,
  createRedisResponseStore,
  type ResponseStore,
  type StoredResponse,
  type RedisCommands,
  type MemoryStoreOptions,
  type RedisStoreOptions,
} from './store.ts';
export { conversationHistory, rememberResponse, willStore, retrieveResponse, deleteResponse, STORE_SETTING, type ApiReply } from './conversation.ts';
export type { ResponsesRequest, ResponseItem, ResponseObject, ResponseUsage } from './types.ts';
