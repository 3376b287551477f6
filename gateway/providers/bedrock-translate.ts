// Pure translation between the OpenAI chat format and Bedrock's Converse API, both directions.
import { badRequest } from '../errors.ts';
import type { OutgoingChat } from './adapter.ts';
import { jsonTool } from './anthropic-translate.ts';
import {
  chatCompletion,
  chatUsage,
  completionId,
  conversation,
  dataUrl,
  parseArguments,
  refuseUnsupported,
  textOf,
  type ChatUsage,
  type ToolCall,
  type Turn,
  type TurnWriters,
} from './openai-chat.ts';

type Block = Record<string, unknown>;

/** OpenAI request fields Converse has no counterpart for. */
const UNSUPPORTED = [
  'n',
  'logprobs',
  'top_logprobs',
  'logit_bias',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'reasoning_effort',
  'parallel_tool_calls',
  'audio',
  'modalities',
  'prediction',
  'web_search_options',
];
const IMAGE_FORMATS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/** OpenAI chat request -> Converse request (the model goes in the URL). Throws a 400 for what cannot be expressed. */
export function toConverseRequest(req: OutgoingChat): Record<string, unknown> {
  const b = req.body;
  refuseUnsupported(b, UNSUPPORTED, 'a Bedrock');
  const { system, turns } = conversation<Block>(b.messages, WRITERS);
  const out: Record<string, unknown> = { messages: turns.map((t) => ({ role: t.role, content: t.blocks })) };
  if (system.length) out.system = system.map((text) => ({ text }));
  const inference: Record<string, unknown> = {};
  if (req.maxTokens !== undefined) inference.maxTokens = req.maxTokens;
  if (typeof b.temperature === 'number') inference.temperature = b.temperature;
  if (typeof b.top_p === 'number') inference.topP = b.top_p;
  if (b.stop !== undefined && b.stop !== null) inference.stopSequences = Array.isArray(b.stop) ? b.stop : [b.stop];
  if (Object.keys(inference).length) out.inferenceConfig = inference;
  const toolConfig = jsonToolConfig(req) ?? toToolConfig(b, turns);
  if (toolConfig) out.toolConfig = toolConfig;
  return out;
}

/**
 * `response_format` json_schema (or json_object) as a tool the model must call, as for Anthropic (`jsonTool`): its
 * input is the answer, turned back into the message text by `toChatCompletion`. Not for streams nor beside tools.
 */
function jsonToolConfig(req: OutgoingChat): Block | undefined {
  const json = jsonTool(req.body);
  if (!json) return undefined;
  if (req.stream || (Array.isArray(req.body.tools) && req.body.tools.length)) {
    const why = req.stream ? 'in a stream' : 'beside tools';
    throw badRequest('unsupported_parameter', `response_format cannot be sent to a Bedrock model ${why}.`, 'response_format');
  }
  return {
    tools: [{ toolSpec: { name: json.name, description: json.description, inputSchema: { json: json.input_schema } } }],
    toolChoice: { tool: { name: json.name } },
  };
}

/** Converse refuses blank text blocks, so none is written. */
const WRITERS: TurnWriters<Block> = {
  user: (m, i) => ({ role: 'user', blocks: userBlocks(m.content, i) }),
  assistant(m, i) {
    const text = textOf(m.content);
    const calls = (m.tool_calls ?? []).map((call: any) => ({
      toolUse: { toolUseId: call.id, name: call.function?.name, input: parseArguments(call.function?.arguments, i) },
    }));
    return { role: 'assistant', blocks: [...(text.trim() ? [{ text }] : []), ...calls] };
  },
  tool: (m) => ({ role: 'user', blocks: [{ toolResult: { toolUseId: m.tool_call_id, content: [{ text: textOf(m.content) }] } }] }),
};

function userBlocks(content: unknown, i: number): Block[] {
  if (typeof content === 'string') return content.trim() ? [{ text: content }] : [];
  if (!Array.isArray(content)) throw badRequest('invalid_message', `messages[${i}].content must be a string or an array of parts.`);
  return content.flatMap((part: any): Block[] => {
    if (part?.type === 'text') return typeof part.text === 'string' && part.text.trim() ? [{ text: part.text }] : [];
    if (part?.type === 'image_url') return [{ image: image(String(part.image_url?.url ?? ''), i) }];
    throw badRequest('unsupported_content', `messages[${i}]: content parts of type "${part?.type}" cannot be sent to a Bedrock model.`);
  });
}

/** Converse takes image bytes (base64 in JSON), not links. */
function image(url: string, i: number): Block {
  const data = dataUrl(url);
  const format = data && IMAGE_FORMATS[data.mediaType];
  if (!format)
    throw badRequest('unsupported_content', `messages[${i}]: a Bedrock model takes images as data: URLs of PNG, JPEG, GIF or WebP only.`);
  return { format, source: { bytes: data.data } };
}

/**
 * `tools` and `tool_choice` as a toolConfig. Converse has no "none": the tools are left out instead, which it
 * allows only while the conversation holds no tool calls.
 */
function toToolConfig(b: Record<string, any>, turns: Turn<Block>[]): Block | undefined {
  if (!Array.isArray(b.tools) || b.tools.length === 0) return undefined;
  const tools = b.tools.map((t: any) => ({
    toolSpec: {
      name: t.function?.name,
      ...(t.function?.description ? { description: t.function.description } : {}),
      inputSchema: { json: t.function?.parameters ?? { type: 'object', properties: {} } },
    },
  }));
  const choice = b.tool_choice;
  if (choice === 'none') {
    if (turns.some((t) => t.blocks.some((block) => 'toolUse' in block || 'toolResult' in block))) {
      throw badRequest(
        'unsupported_parameter',
        'tool_choice "none" cannot be sent to a Bedrock model once the conversation holds tool calls.',
      );
    }
    return undefined;
  }
  const toolChoice =
    choice === 'required'
      ? { any: {} }
      : choice?.type === 'function'
        ? { tool: { name: choice.function?.name } }
        : choice === 'auto'
          ? { auto: {} }
          : undefined;
  return { tools, ...(toolChoice ? { toolChoice } : {}) };
}

const FINISH_REASONS: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  guardrail_intervened: 'content_filter',
  content_filtered: 'content_filter',
};

export const finishReason = (stopReason: string | undefined) => (stopReason ? (FINISH_REASONS[stopReason] ?? 'stop') : null);

/** Converse counts cache reads and writes apart from inputTokens; OpenAI's prompt_tokens includes them. */
export function converseUsage(u: any): ChatUsage {
  const cached = u?.cacheReadInputTokens ?? 0;
  return chatUsage((u?.inputTokens ?? 0) + cached + (u?.cacheWriteInputTokens ?? 0), u?.outputTokens ?? 0, cached);
}

/**
 * Converse answer -> OpenAI `chat.completion`; Converse names neither the answer nor the model, so `model` does. A
 * call of the forced JSON tool `json` (see jsonToolConfig) is the text.
 */
export function toChatCompletion(answer: any, model: string, json?: string) {
  const text: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of answer.output?.message?.content ?? []) {
    if (typeof block.text === 'string') text.push(block.text);
    else if (block.toolUse && block.toolUse.name === json) text.push(JSON.stringify(block.toolUse.input ?? {}));
    else if (block.toolUse)
      toolCalls.push({
        id: block.toolUse.toolUseId,
        type: 'function',
        function: { name: block.toolUse.name, arguments: JSON.stringify(block.toolUse.input ?? {}) },
      });
  }
  return chatCompletion({
    id: completionId(),
    model,
    text,
    toolCalls,
    finish: json ? 'stop' : finishReason(answer.stopReason),
    usage: converseUsage(answer.usage),
  });
}
