// The OpenAI chat format as the translating adapters (Anthropic, Bedrock, Gemini) read and write it: the parts of a
// request they all take apart, and the completion, chunks and usage they all build.
import { randomUUID } from 'node:crypto';
import { badRequest } from '../errors.ts';
import { SSE_DONE, sseData } from '../http/sse.ts';
import type { TokenUsage } from '../usage.ts';
import type { Answer, ChunkHandler } from './adapter.ts';

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** OpenAI's prompt_tokens include the cached ones, which `cached` repeats. */
export function chatUsage(prompt: number, completion: number, cached: number): ChatUsage {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached },
  };
}

export const tokenUsage = (u: ChatUsage): TokenUsage => ({ input: u.prompt_tokens, output: u.completion_tokens });

/** For answers and tool calls whose provider gives them no id of their own. */
export const completionId = () => `chatcmpl-${randomUUID()}`;
export const newToolCallId = () => `call_${randomUUID().replaceAll('-', '')}`;

/**
 * A translated completion as the bytes to send (encoded when first read: an API translating it further reads
 * `completion`) and its usage.
 */
export function translatedAnswer(completion: { usage: ChatUsage }, usage: TokenUsage = tokenUsage(completion.usage)): Answer {
  let body: Buffer | string | undefined;
  return {
    get body() {
      body ??= JSON.stringify(completion);
      return body;
    },
    set body(bytes) {
      body = bytes;
    },
    usage,
    completion,
  };
}

/** A translated non-streaming answer as an OpenAI `chat.completion`; `content` is null only for tool calls alone. */
export function chatCompletion(a: {
  id: string;
  model: string;
  text: string[];
  toolCalls: ToolCall[];
  finish: string | null;
  usage: ChatUsage;
}) {
  const message: Record<string, unknown> = { role: 'assistant', content: a.text.length || !a.toolCalls.length ? a.text.join('') : null };
  if (a.toolCalls.length) message.tool_calls = a.toolCalls;
  return {
    id: a.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: a.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: a.finish }],
    usage: a.usage,
  };
}

/** Writes one translated stream's `chat.completion.chunk` events, all with the same id, model and time. */
export class ChunkWriter {
  private readonly created = Math.floor(Date.now() / 1000);
  id = '';
  model = '';

  /** `chunks`: where the chunks go as objects, not written (see `ProviderAdapter.chatStream`). */
  constructor(
    private readonly includeUsage: boolean,
    private readonly chunks?: ChunkHandler,
  ) {}

  delta(delta: Record<string, unknown>, finish: string | null = null): string {
    const body: Record<string, unknown> = this.envelope([{ index: 0, delta, logprobs: null, finish_reason: finish }]);
    if (this.includeUsage) body.usage = null;
    return this.write(body);
  }

  /** The end of the stream: the usage chunk when the client asked for it, then `[DONE]`. */
  done(usage: ChatUsage): string {
    return (this.includeUsage ? this.write({ ...this.envelope([]), usage }) : '') + SSE_DONE;
  }

  private write(chunk: Record<string, unknown>): string {
    if (!this.chunks) return sseData(chunk);
    this.chunks(chunk);
    return '';
  }

  private envelope(choices: unknown[]) {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices };
  }
}

/** One provider message: a role and its blocks (Converse content blocks, Gemini parts ...). */
export interface Turn<B> {
  role: string;
  blocks: B[];
}

/** How a provider writes each kind of OpenAI message; `i` is its index, for error messages. */
export interface TurnWriters<B> {
  user(m: any, i: number): Turn<B>;
  assistant(m: any, i: number): Turn<B>;
  tool(m: any, i: number): Turn<B>;
}

/**
 * An OpenAI conversation as the APIs with a separate system prompt want it: system and developer text apart, every
 * other message written by `writers`, empty turns left out (these APIs refuse them: an assistant turn with nothing
 * to say, say), and consecutive turns of one role merged (tool results, then a question), so that roles alternate.
 */
export function conversation<B>(messages: any[], writers: TurnWriters<B>): { system: string[]; turns: Turn<B>[] } {
  const system: string[] = [];
  const turns: Turn<B>[] = [];
  for (const [i, m] of messages.entries()) {
    const role = m?.role;
    if (role === 'system' || role === 'developer') {
      const text = textOf(m.content);
      if (text.trim()) system.push(text);
      continue;
    }
    if (role !== 'user' && role !== 'assistant' && role !== 'tool') {
      throw badRequest('invalid_message', `messages[${i}].role must be system, developer, user, assistant or tool.`);
    }
    const turn = writers[role as keyof TurnWriters<B>](m, i);
    if (turn.blocks.length === 0) continue;
    const last = turns[turns.length - 1];
    if (last?.role === turn.role) last.blocks.push(...turn.blocks);
    else turns.push(turn);
  }
  return { system, turns };
}

/** The text of a message's content: the string, or its text parts joined by newlines. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .filter((p: any) => p?.type === 'text')
      .map((p: any) => p.text)
      .join('\n');
  return '';
}

/** A tool call's `arguments` JSON as a value (`{}` when empty); a 400 naming the message when it does not parse. */
export function parseArguments(args: unknown, i: number): unknown {
  try {
    return typeof args === 'string' && args ? JSON.parse(args) : {};
  } catch {
    throw badRequest('invalid_tool_call', `messages[${i}].tool_calls: function arguments are not valid JSON.`);
  }
}

/** `data:<type>;base64,<data>` taken apart; undefined for any other URL. */
export function dataUrl(url: string): { mediaType: string; data: string } | undefined {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return m ? { mediaType: m[1], data: m[2] } : undefined;
}

/**
 * Request fields a provider cannot express, refused with a 400 rather than dropped in silence. A field counts
 * as used unless absent, null, or the value that means OpenAI's default.
 */
export function refuseUnsupported(body: Record<string, any>, fields: readonly string[], provider: string): void {
  for (const field of fields) {
    const value = body[field];
    if (value === undefined || value === null || isDefault(field, value)) continue;
    throw badRequest('unsupported_parameter', `${field} cannot be sent to ${provider} model.`);
  }
}

function isDefault(field: string, value: any): boolean {
  switch (field) {
    case 'n':
      return value === 1;
    case 'parallel_tool_calls':
      return value === true;
    case 'response_format':
      return value?.type === 'text';
    case 'modalities':
      return Array.isArray(value) && value.length === 1 && value[0] === 'text';
    default:
      return value === false; // logprobs
  }
}
