// A Messages request as an OpenAI chat request, for providers reached through chat (openai, azure-openai,
// openai-compatible, and any adapter that does not speak Messages). What chat cannot express is a 400 naming
// the field, never a silent drop; the few documented exceptions are noted where they happen.
import type { IRProvider } from '../../../compiler/ir/types.ts';
import { badRequest } from '../../errors.ts';
import type { OutgoingChat } from '../../providers/adapter.ts';
import { EFFORT_BUDGETS } from '../../providers/anthropic-translate.ts';
import type { Candidate } from '../../routing.ts';
import type { Body } from '../api.ts';
import { isObject, type MessagesRequest } from './request.ts';

/** Provider types that take PDF documents as chat `file` parts. */
const FILE_PARTS: ReadonlySet<IRProvider['type']> = new Set(['openai', 'azure-openai']);
/** OpenAI takes at most four stop sequences; self-hosted servers have no such limit. */
const MAX_STOP: Partial<Record<IRProvider['type'], number>> = { openai: 4, 'azure-openai': 4 };

/** Top-level fields that have a chat counterpart (or, like `stream`, need none); any other is refused unless null. */
const TOP_LEVEL = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'stream',
  'stop_sequences',
  'temperature',
  'top_p',
  'metadata',
  'tools',
  'tool_choice',
  'thinking',
  'output_config',
  'service_tier',
  'context_management',
]);

/** `cache_control` marks where Anthropic may cache; chat providers cache prompt prefixes by themselves. */
const CACHE_CONTROL = 'cache_control';

export function toChat(req: MessagesRequest, c: Candidate): OutgoingChat {
  const b = req.body;
  const target = new Target(c);
  for (const key of Object.keys(b)) if (!TOP_LEVEL.has(key) && b[key] !== null) throw target.cannot(key);
  const messages: Body[] = [];
  if (b.system !== undefined) messages.push({ role: 'system', content: systemText(b.system, target) });
  b.messages.forEach((m: Body, i: number) => {
    const at = `messages.${i}.content`;
    if (m.role === 'user') userTurn(m.content, at, messages, target);
    else if (m.role === 'assistant') assistantTurn(m.content, at, messages, target);
    else if (m.role === 'system') messages.push({ role: 'system', content: systemText(m.content, target, at) });
    else throw target.cannot(`messages.${i}.role`);
  });
  const out: Body = { messages };
  if (req.stream) out.stream = true;
  if (b.stop_sequences?.length) {
    const max = MAX_STOP[c.provider.ir.type];
    if (max !== undefined && b.stop_sequences.length > max)
      throw target.refuse('stop_sequences', `at most ${max} stop sequences can be sent`);
    out.stop = b.stop_sequences;
  }
  for (const key of ['temperature', 'top_p'] as const) if (b[key] !== undefined) out[key] = b[key];
  if (b.metadata !== undefined) metadata(b.metadata, out, target);
  tools(b.tools ?? [], b.tool_choice, out, target);
  if (b.thinking !== undefined) thinking(b.thinking, out, target);
  if (b.output_config !== undefined) outputConfig(b.output_config, out, target);
  if (b.context_management !== undefined) contextManagement(b.context_management, target);
  if (b.service_tier !== undefined) out.service_tier = b.service_tier === 'standard_only' ? 'default' : b.service_tier;
  return { body: out, stream: req.stream, includeUsage: false, maxTokens: req.maxTokens };
}

/** The candidate, for the 400s naming what it cannot take. */
class Target {
  private readonly name: string;
  constructor(readonly c: Candidate) {
    this.name = `provider "${c.provider.ir.name}" (${c.provider.ir.type}, reached through the chat API)`;
  }

  get type(): IRProvider['type'] {
    return this.c.provider.ir.type;
  }

  cannot(field: string) {
    return this.refuse(field, 'cannot be expressed');
  }

  refuse(field: string, why: string) {
    return badRequest('unsupported_parameter', `${field}: ${why} for ${this.name}.`, field);
  }

  /** Refuses keys of `o` outside `allowed` (and `cache_control`, dropped). */
  only(o: Body, at: string, allowed: readonly string[]): void {
    for (const key of Object.keys(o))
      if (key !== CACHE_CONTROL && !allowed.includes(key) && o[key] !== null) throw this.cannot(`${at}.${key}`);
  }
}

/** A system prompt (or a `system` turn within the messages) as one text, its text blocks joined by a blank line. */
function systemText(system: string | Body[], target: Target, at = 'system'): string {
  if (typeof system === 'string') return system;
  return system
    .map((block, i) => {
      if (block.type !== 'text') throw target.cannot(`${at}.${i}.type`);
      target.only(block, `${at}.${i}`, ['type', 'text']);
      return block.text;
    })
    .join('\n\n');
}

/** A user turn: its tool results first (chat wants them right after the assistant's calls), then the rest. */
function userTurn(content: string | Body[], at: string, messages: Body[], target: Target): void {
  if (typeof content === 'string') {
    messages.push({ role: 'user', content });
    return;
  }
  const parts: Body[] = [];
  content.forEach((block, j) => {
    const where = `${at}.${j}`;
    if (block.type === 'tool_result') messages.push(toolMessage(block, where, target));
    else parts.push(userPart(block, where, target));
  });
  if (parts.length === 1 && parts[0].type === 'text') messages.push({ role: 'user', content: parts[0].text });
  else if (parts.length) messages.push({ role: 'user', content: parts });
}

function userPart(block: Body, at: string, target: Target): Body {
  switch (block.type) {
    case 'text':
      target.only(block, at, ['type', 'text', 'citations']);
      if (block.citations?.length) throw target.cannot(`${at}.citations`);
      return { type: 'text', text: block.text };
    case 'image':
      target.only(block, at, ['type', 'source']);
      return { type: 'image_url', image_url: { url: sourceUrl(block.source, `${at}.source`, target) } };
    case 'document':
      return documentPart(block, at, target);
    default:
      throw target.cannot(`${at}.type`);
  }
}

/** An image or document source as a URL: a data URL for base64 data. */
function sourceUrl(source: Body, at: string, target: Target): string {
  if (source.type === 'base64' && typeof source.data === 'string') return `data:${source.media_type};base64,${source.data}`;
  if (source.type === 'url' && typeof source.url === 'string') return source.url;
  throw target.cannot(`${at}.type`);
}

/** Plain-text documents become text; base64 PDFs become `file` parts where the provider takes them. */
function documentPart(block: Body, at: string, target: Target): Body {
  target.only(block, at, ['type', 'source', 'title']);
  const { source } = block;
  if (source.type === 'text' && typeof source.data === 'string') {
    return { type: 'text', text: typeof block.title === 'string' ? `${block.title}\n\n${source.data}` : source.data };
  }
  if (source.type === 'base64' && source.media_type === 'application/pdf' && FILE_PARTS.has(target.type)) {
    return {
      type: 'file',
      file: {
        filename: typeof block.title === 'string' ? block.title : 'document.pdf',
        file_data: sourceUrl(source, `${at}.source`, target),
      },
    };
  }
  throw target.cannot(`${at}.source`);
}

/**
 * A `tool_result` as a `tool` message. Chat has no error flag: an error result's text starts with "Error: ".
 * Images in a result cannot be sent (chat tool messages hold text only).
 */
function toolMessage(block: Body, at: string, target: Target): Body {
  target.only(block, at, ['type', 'tool_use_id', 'content', 'is_error']);
  let text: string;
  if (typeof block.content === 'string' || block.content === undefined) text = block.content ?? '';
  else {
    text = (block.content as Body[])
      .map((part, k) => {
        if (part.type !== 'text') throw target.cannot(`${at}.content.${k}.type`);
        target.only(part, `${at}.content.${k}`, ['type', 'text']);
        return part.text;
      })
      .join('\n');
  }
  return { role: 'tool', tool_call_id: block.tool_use_id, content: block.is_error === true ? `Error: ${text}` : text };
}

/**
 * An assistant turn: text joined, `tool_use` as tool calls (arguments the input's JSON). Earlier turns' thinking
 * is not sent: chat providers take no reasoning back, and Anthropic's is signed for Anthropic only.
 */
function assistantTurn(content: string | Body[], at: string, messages: Body[], target: Target): void {
  if (typeof content === 'string') {
    if (content) messages.push({ role: 'assistant', content });
    return;
  }
  let text = '';
  const calls: Body[] = [];
  content.forEach((block, j) => {
    const where = `${at}.${j}`;
    if (block.type === 'text') {
      target.only(block, where, ['type', 'text', 'citations']);
      text += block.text;
    } else if (block.type === 'tool_use') {
      target.only(block, where, ['type', 'id', 'name', 'input']);
      calls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input) } });
    } else if (block.type !== 'thinking' && block.type !== 'redacted_thinking') throw target.cannot(`${where}.type`);
  });
  // Chat providers, like Anthropic, refuse an assistant turn with nothing in it.
  if (!text && calls.length === 0) return;
  const message: Body = { role: 'assistant', content: text || null };
  if (calls.length) message.tool_calls = calls;
  messages.push(message);
}

function metadata(meta: Body, out: Body, target: Target): void {
  target.only(meta, 'metadata', ['user_id']);
  if (typeof meta.user_id === 'string') out.user = meta.user_id;
}

/** Tools as functions. A tool with `defer_loading` is one whose definition the model does not see until it is loaded: it is not sent. */
function tools(list: Body[], choice: Body | undefined, out: Body, target: Target): void {
  const functions: Body[] = [];
  list.forEach((tool, i) => {
    if (tool.type !== undefined && tool.type !== 'custom') throw target.cannot(`tools.${i}.type`);
    target.only(tool, `tools.${i}`, ['type', 'name', 'description', 'input_schema', 'strict', 'defer_loading']);
    if (tool.defer_loading === true) return;
    const fn: Body = { name: tool.name, parameters: tool.input_schema ?? { type: 'object', properties: {} } };
    if (typeof tool.description === 'string') fn.description = tool.description;
    if (typeof tool.strict === 'boolean') fn.strict = tool.strict;
    functions.push({ type: 'function', function: fn });
  });
  if (functions.length === 0) {
    // Chat providers refuse a tool choice without tools; `auto` and `none` ask for nothing then.
    if (choice !== undefined && choice.type !== 'auto' && choice.type !== 'none')
      throw target.refuse('tool_choice', 'a tool choice needs tools');
    return;
  }
  out.tools = functions;
  if (choice === undefined) return;
  target.only(choice, 'tool_choice', ['type', 'name', 'disable_parallel_tool_use']);
  switch (choice.type) {
    case 'auto':
    case 'none':
      out.tool_choice = choice.type;
      break;
    case 'any':
      out.tool_choice = 'required';
      break;
    case 'tool':
      out.tool_choice = { type: 'function', function: { name: choice.name } };
      break;
    default:
      throw target.cannot('tool_choice.type');
  }
  if (choice.disable_parallel_tool_use === true) out.parallel_tool_calls = false;
}

/**
 * `thinking` as `reasoning_effort`, by budget: under 4096 tokens `low`, under 16384 `medium`, else `high` (the
 * inverse of the budgets chat's `reasoning_effort` gets on Anthropic), for models configured with `reasoning`.
 * `disabled` and `adaptive` (the model decides, as reasoning models do by default) send nothing, and `display`
 * asks for nothing here: answers through chat carry no thinking.
 */
function thinking(t: Body, out: Body, target: Target): void {
  if (t.type === 'disabled' || t.type === 'adaptive') return;
  if (t.type !== 'enabled') throw target.cannot('thinking.type');
  target.only(t, 'thinking', ['type', 'budget_tokens', 'display']);
  const budget = Number(t.budget_tokens);
  reasoningEffort(budget < EFFORT_BUDGETS.medium ? 'low' : budget < EFFORT_BUDGETS.high ? 'medium' : 'high', out, target);
}

const EFFORTS = new Set(['low', 'medium', 'high']);

/** `effort` as `reasoning_effort` (it wins over `thinking`); `format` (a JSON schema) as `response_format`. */
function outputConfig(config: Body, out: Body, target: Target): void {
  target.only(config, 'output_config', ['effort', 'format']);
  if (config.effort !== undefined) {
    if (!EFFORTS.has(config.effort)) throw target.cannot('output_config.effort');
    reasoningEffort(config.effort, out, target);
  }
  if (config.format !== undefined) {
    if (!isObject(config.format) || config.format.type !== 'json_schema' || !isObject(config.format.schema))
      throw target.cannot('output_config.format');
    out.response_format = { type: 'json_schema', json_schema: { name: 'output', schema: config.format.schema, strict: true } };
  }
}

/**
 * Only models configured with `reasoning` take `reasoning_effort` (OpenAI refuses it elsewhere); the others
 * answer without extended reasoning, which is what a Messages client gets from a model without thinking too.
 */
function reasoningEffort(effort: string, out: Body, target: Target): void {
  if (target.c.model.reasoning) out.reasoning_effort = effort;
}

/**
 * Context edits Anthropic applies to the history. Clearing thinking is what the translation does anyway (chat
 * providers get no thinking); any other edit is refused.
 */
function contextManagement(cm: Body, target: Target): void {
  target.only(cm, 'context_management', ['edits']);
  (cm.edits ?? []).forEach((edit: Body, i: number) => {
    if (typeof edit?.type !== 'string' || !edit.type.startsWith('clear_thinking_'))
      throw target.cannot(`context_management.edits.${i}.type`);
  });
}
