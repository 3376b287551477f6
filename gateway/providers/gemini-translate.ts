// Pure translation between the OpenAI chat format and the Gemini API's generateContent, both directions, and
// Google's error bodies in the terms the gateway's retries read.
import { badRequest } from '../errors.ts';
import type { OutgoingChat } from './adapter.ts';
import {
  chatCompletion,
  chatUsage,
  completionId,
  conversation,
  dataUrl,
  newToolCallId,
  parseArguments,
  refuseUnsupported,
  textOf,
  type ChatUsage,
  type ToolCall,
  type TurnWriters,
} from './openai-chat.ts';
import { UpstreamFailure } from './upstream-errors.ts';

type Part = Record<string, unknown>;

/** OpenAI request fields generateContent has no counterpart for. */
const UNSUPPORTED = [
  'n',
  'logprobs',
  'top_logprobs',
  'logit_bias',
  'parallel_tool_calls',
  'audio',
  'modalities',
  'prediction',
  'web_search_options',
];
/** The budgets Google's own OpenAI-compatible endpoint gives each `reasoning_effort`. */
const THINKING_BUDGET: Record<string, number> = { none: 0, low: 1024, medium: 8192, high: 24576 };
/**
 * Gemini 3 wants each function call's `thoughtSignature` back with the call in the next turn. The tool call id is
 * the one field OpenAI clients send back unchanged, so the signature rides in it after this separator.
 */
const SIGNATURE = '__thought__';

/** OpenAI chat request -> generateContent request (the model goes in the URL). Throws a 400 for what cannot be expressed. */
export function toGenerateContentRequest(req: OutgoingChat): Record<string, unknown> {
  const b = req.body;
  refuseUnsupported(b, UNSUPPORTED, 'a Gemini');
  const { system, turns } = conversation<Part>(b.messages, writers());
  const out: Record<string, unknown> = { contents: turns.map((t) => ({ role: t.role, parts: t.blocks })) };
  if (system.length) out.systemInstruction = { parts: system.map((text) => ({ text })) };
  const generation = generationConfig(req);
  if (Object.keys(generation).length) out.generationConfig = generation;
  if (Array.isArray(b.tools) && b.tools.length) {
    out.tools = [{ functionDeclarations: b.tools.map(functionDeclaration) }];
    const mode = toolMode(b.tool_choice);
    if (mode) out.toolConfig = { functionCallingConfig: mode };
  }
  return out;
}

/** Gemini's roles are user and model; the answers to parallel function calls go in one user turn (merged). */
function writers(): TurnWriters<Part> {
  // A functionResponse names its function; OpenAI's tool message names only the call's id.
  const calls = new Map<string, string>();
  return {
    user: (m, i) => ({ role: 'user', blocks: userParts(m.content, i) }),
    assistant(m, i) {
      const text = textOf(m.content);
      const parts: Part[] = (m.tool_calls ?? []).map((call: any) => {
        const [, signature] = String(call.id ?? '').split(SIGNATURE);
        calls.set(call.id, call.function?.name);
        return {
          functionCall: { name: call.function?.name, args: parseArguments(call.function?.arguments, i) },
          ...(signature ? { thoughtSignature: signature } : {}),
        };
      });
      return { role: 'model', blocks: text ? [{ text }, ...parts] : parts };
    },
    tool(m, i) {
      const name = calls.get(m.tool_call_id);
      if (name === undefined)
        throw badRequest('invalid_message', `messages[${i}].tool_call_id names no tool call of an earlier assistant message.`);
      return { role: 'user', blocks: [{ functionResponse: { name, response: functionResponse(textOf(m.content)) } }] };
    },
  };
}

/** A functionResponse's `response` must be an object: a tool's JSON object output as it is, anything else wrapped. */
function functionResponse(text: string): unknown {
  try {
    const value = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // not JSON: wrapped below
  }
  return { content: text };
}

function userParts(content: unknown, i: number): Part[] {
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  if (!Array.isArray(content)) throw badRequest('invalid_message', `messages[${i}].content must be a string or an array of parts.`);
  return content.map((part: any): Part => {
    if (part?.type === 'text') return { text: part.text };
    if (part?.type === 'image_url') {
      const data = dataUrl(String(part.image_url?.url ?? ''));
      if (!data) throw badRequest('unsupported_content', `messages[${i}]: a Gemini model takes images as data: URLs only.`);
      return { inlineData: { mimeType: data.mediaType, data: data.data } };
    }
    throw badRequest('unsupported_content', `messages[${i}]: content parts of type "${part?.type}" cannot be sent to a Gemini model.`);
  });
}

function generationConfig(req: OutgoingChat): Record<string, unknown> {
  const b = req.body;
  const config: Record<string, unknown> = {};
  if (req.maxTokens !== undefined) config.maxOutputTokens = req.maxTokens;
  if (b.stop !== undefined && b.stop !== null) config.stopSequences = Array.isArray(b.stop) ? b.stop : [b.stop];
  const numbers = {
    temperature: 'temperature',
    top_p: 'topP',
    seed: 'seed',
    presence_penalty: 'presencePenalty',
    frequency_penalty: 'frequencyPenalty',
  } as const;
  for (const [from, to] of Object.entries(numbers)) if (typeof b[from] === 'number') config[to] = b[from];
  const format = b.response_format;
  if (format?.type === 'json_object' || format?.type === 'json_schema') config.responseMimeType = 'application/json';
  // responseJsonSchema takes JSON Schema as OpenAI clients write it; responseSchema, an OpenAPI subset, would
  // refuse `additionalProperties`, which every strict schema has.
  if (format?.type === 'json_schema' && format.json_schema?.schema) config.responseJsonSchema = format.json_schema.schema;
  if (b.reasoning_effort !== undefined && b.reasoning_effort !== null) {
    const budget = THINKING_BUDGET[b.reasoning_effort];
    if (budget === undefined)
      throw badRequest(
        'unsupported_parameter',
        `reasoning_effort "${b.reasoning_effort}" cannot be sent to a Gemini model (none, low, medium or high).`,
      );
    config.thinkingConfig = { thinkingBudget: budget };
  }
  return config;
}

/** `parametersJsonSchema` takes the JSON Schema of an OpenAI tool as it is (see responseJsonSchema). */
function functionDeclaration(t: any): Part {
  return {
    name: t.function?.name,
    ...(t.function?.description ? { description: t.function.description } : {}),
    ...(t.function?.parameters ? { parametersJsonSchema: t.function.parameters } : {}),
  };
}

function toolMode(choice: any): Part | undefined {
  if (choice === 'auto') return { mode: 'AUTO' };
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'required') return { mode: 'ANY' };
  if (choice?.type === 'function') return { mode: 'ANY', allowedFunctionNames: [choice.function?.name] };
  return undefined;
}

/** An OpenAI tool call id for a functionCall part: Gemini's own id when it gave one, the signature appended. */
function callId(part: any): string {
  const id = typeof part.functionCall?.id === 'string' && part.functionCall.id ? part.functionCall.id : newToolCallId();
  return typeof part.thoughtSignature === 'string' ? `${id}${SIGNATURE}${part.thoughtSignature}` : id;
}

export const toolCall = (part: any): ToolCall => ({
  id: callId(part),
  type: 'function',
  function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
});

/** Whether a part is answer text (thought summaries are not). */
export const isAnswerText = (part: any): boolean => typeof part?.text === 'string' && part.thought !== true;

const FILTERED = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'LANGUAGE']);

/** Gemini's STOP ends a turn with function calls too. */
export function finishReason(reason: string | undefined, calledTools: boolean): string | null {
  if (!reason) return null;
  if (reason === 'MAX_TOKENS') return 'length';
  if (FILTERED.has(reason)) return 'content_filter';
  return calledTools ? 'tool_calls' : 'stop';
}

/** promptTokenCount includes the cached tokens; thinking tokens are billed as output. */
export function geminiUsage(u: any): ChatUsage {
  return chatUsage(
    (u?.promptTokenCount ?? 0) + (u?.toolUsePromptTokenCount ?? 0),
    (u?.candidatesTokenCount ?? 0) + (u?.thoughtsTokenCount ?? 0),
    u?.cachedContentTokenCount ?? 0,
  );
}

/** A prompt refused outright has no candidate, only `promptFeedback.blockReason`. */
export const finishOf = (r: any): string | undefined =>
  r.candidates?.[0]?.finishReason ?? (r.promptFeedback?.blockReason ? 'SAFETY' : undefined);

/** generateContent answer -> OpenAI `chat.completion`. */
export function toChatCompletion(r: any, model: string) {
  const parts: any[] = r.candidates?.[0]?.content?.parts ?? [];
  const toolCalls = parts.filter((p) => p.functionCall).map(toolCall);
  const text = parts.filter(isAnswerText).map((p) => p.text as string);
  return chatCompletion({
    id: r.responseId ?? completionId(),
    model: r.modelVersion ?? model,
    text,
    toolCalls,
    finish: finishReason(finishOf(r), toolCalls.length > 0),
    usage: geminiUsage(r.usageMetadata),
  });
}

/**
 * A Google error (`{error: {code, message, status, details}}`) as the gateway reads one: a key Google calls
 * invalid is an auth failure (it answers 400), and the wait it asks for (google.rpc.RetryInfo) becomes retryAfter.
 */
export function googleFailure(status: number, body: string, retryAfter?: string): UpstreamFailure {
  let error: any;
  try {
    error = JSON.parse(body)?.error;
  } catch {
    // not Google's shape
  }
  if (!error || typeof error !== 'object') return new UpstreamFailure('status', status, body, retryAfter);
  const details: any[] = Array.isArray(error.details) ? error.details : [];
  const keyInvalid = details.some((d) => d?.reason === 'API_KEY_INVALID');
  const delay = details.find((d) => String(d?.['@type']).endsWith('google.rpc.RetryInfo'))?.retryDelay;
  const wait =
    retryAfter ?? (typeof delay === 'string' && Number.isFinite(parseFloat(delay)) ? String(Math.ceil(parseFloat(delay))) : undefined);
  return new UpstreamFailure(
    'status',
    keyInvalid ? 401 : status,
    JSON.stringify({ error: { message: error.message, type: error.status } }),
    wait,
  );
}
