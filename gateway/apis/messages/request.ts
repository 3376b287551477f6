// A Messages API request, checked for what the gateway relies on and what Anthropic requires, with Anthropic's
// field paths in the errors (`messages.0.content.1.text: ...`). Fields and block types the gateway does not
// know are left alone: passthrough must keep new API features working.
import type { IRRoute } from '../../../compiler/ir/types.ts';
import { badRequest, type GatewayError } from '../../errors.ts';
import type { Redactor } from '../../snapshot.ts';
import type { Body } from '../api.ts';
import type { PivotRequest } from '../chat-pivot.ts';
import { markingRedactor, type RawRequest } from '../passthrough.ts';

/** A request body as both Messages endpoints take it (`count_tokens` has no `max_tokens`). */
export interface MessagesInput extends PivotRequest, RawRequest {}

export interface MessagesRequest extends MessagesInput {
  /** The client's `max_tokens`, capped by the route's `maxTokens`. */
  readonly maxTokens: number;
}

export const invalid = (field: string, problem: string): GatewayError => badRequest('invalid_request', `${field}: ${problem}`, field);

export function parseMessages(body: Body, raw: Buffer, route: IRRoute): MessagesRequest {
  const asked = body.max_tokens;
  if (!Number.isInteger(asked) || asked < 1) throw invalid('max_tokens', 'an integer of at least 1 is required.');
  if (body.stream !== undefined && typeof body.stream !== 'boolean') throw invalid('stream', 'must be a boolean.');
  checkInput(body);
  const maxTokens = route.maxTokens === undefined ? asked : Math.min(asked, route.maxTokens);
  return { body, raw, stream: body.stream === true, edited: false, maxTokens };
}

export function parseCountTokens(body: Body, raw: Buffer): MessagesInput {
  checkInput(body);
  return { body, raw, stream: false, edited: false };
}

// The checks run on every request, so they allocate nothing while the input is valid: plain loops, no closures,
// and a field's path is written only for the error that names it.

/** The fields both endpoints share. */
function checkInput(body: Body): void {
  const { messages, system, tools } = body;
  if (!Array.isArray(messages) || messages.length === 0) throw invalid('messages', 'a non-empty array of messages is required.');
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!isObject(m)) throw invalid(`messages.${i}`, 'must be an object.');
    // Roles beyond user and assistant (Claude Code sends `system` turns) are for the provider to judge.
    if (typeof m.role !== 'string' || !m.role) throw invalid(`messages.${i}.role`, 'a role is required.');
    const problem = contentProblem(m.content, false);
    if (problem) throw invalid(`messages.${i}.content${problem[0]}`, problem[1]);
  }
  if (system !== undefined && typeof system !== 'string') {
    if (!Array.isArray(system)) throw invalid('system', 'must be a string or an array of text blocks.');
    for (let i = 0; i < system.length; i++) {
      const b = system[i];
      if (!isObject(b) || b.type !== 'text' || typeof b.text !== 'string') throw invalid(`system.${i}`, 'must be a text block.');
    }
  }
  const stops = body.stop_sequences;
  if (stops !== undefined && !(Array.isArray(stops) && stops.every(isString))) throw mustBe('stop_sequences', 'an array of strings');
  for (const field of NUMBERS) if (body[field] !== undefined && typeof body[field] !== 'number') throw mustBe(field, 'a number');
  for (const field of OBJECTS) if (body[field] !== undefined && !isObject(body[field])) throw mustBe(field, 'an object');
  if (tools !== undefined && !Array.isArray(tools)) throw mustBe('tools', 'an array');
  if (tools)
    for (let i = 0; i < tools.length; i++) {
      const t = tools[i];
      if (!isObject(t) || typeof t.name !== 'string') throw invalid(`tools.${i}.name`, 'a tool name is required.');
    }
}

const NUMBERS = ['temperature', 'top_p', 'top_k'];
const OBJECTS = ['metadata', 'tool_choice', 'thinking'];
const isString = (v: unknown) => typeof v === 'string';
const mustBe = (field: string, what: string) => invalid(field, `must be ${what}.`);

/** What is wrong with a content field: the path below it and the problem; none when it is valid. */
type Problem = [at: string, problem: string] | undefined;

/** `inResult`: the content of a tool result, which holds no tool blocks (nor, so, any deeper nesting). */
function contentProblem(content: unknown, inResult: boolean): Problem {
  if (typeof content === 'string') return undefined;
  if (!Array.isArray(content)) return ['', 'must be a string or an array of content blocks.'];
  for (let j = 0; j < content.length; j++) {
    const problem = blockProblem(content[j], inResult);
    if (problem) return [`.${j}${problem[0]}`, problem[1]];
  }
  return undefined;
}

function blockProblem(b: unknown, inResult: boolean): Problem {
  if (!isObject(b) || typeof b.type !== 'string') return ['.type', 'a content block type is required.'];
  if (inResult && (b.type === 'tool_result' || b.type === 'tool_use')) return ['.type', 'a tool result cannot hold tool blocks.'];
  switch (b.type) {
    case 'text':
      return typeof b.text !== 'string' ? ['.text', 'must be a string.'] : undefined;
    case 'image':
    case 'document':
      return !isObject(b.source) ? ['.source', 'a source is required.'] : undefined;
    case 'tool_use':
      if (typeof b.id !== 'string') return ['.id', 'must be a string.'];
      if (typeof b.name !== 'string') return ['.name', 'must be a string.'];
      return !isObject(b.input) ? ['.input', 'must be an object.'] : undefined;
    case 'tool_result': {
      if (typeof b.tool_use_id !== 'string') return ['.tool_use_id', 'must be a string.'];
      const problem = b.content === undefined ? undefined : contentProblem(b.content, true);
      return problem && [`.content${problem[0]}`, problem[1]];
    }
  }
  return undefined;
}

export const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Redacts, in place, every text the request sends: the system prompt, text blocks, tool results and text
 * documents. Tool-use inputs and thinking are the model's own output (thinking is signed: editing it would
 * make Anthropic refuse the request).
 */
export function redactMessages(req: MessagesInput, redact: Redactor): void {
  const r = markingRedactor(req, redact);
  const { body } = req;
  if (typeof body.system === 'string') body.system = r(body.system);
  else if (Array.isArray(body.system)) redactBlocks(body.system, r);
  for (const m of body.messages) {
    if (typeof m.content === 'string') m.content = r(m.content);
    else redactBlocks(m.content, r);
  }
}

/** Texts of content blocks; a tool result's own blocks one level down (results hold no results). */
function redactBlocks(blocks: Body[], r: Redactor, inResult = false): void {
  for (const b of blocks) {
    if (b.type === 'text') b.text = r(b.text);
    else if (b.type === 'document') redactDocument(b.source, r);
    else if (b.type === 'tool_result' && !inResult && typeof b.content === 'string') b.content = r(b.content);
    else if (b.type === 'tool_result' && !inResult && Array.isArray(b.content)) redactBlocks(b.content, r, true);
  }
}

/** A document's text: a plain-text source, or the text blocks of a content source. */
function redactDocument(source: Body, r: Redactor): void {
  if (source.type === 'text' && typeof source.data === 'string') source.data = r(source.data);
  else if (source.type === 'content' && typeof source.content === 'string') source.content = r(source.content);
  else if (source.type === 'content' && Array.isArray(source.content))
    for (const b of source.content) if (b?.type === 'text' && typeof b.text === 'string') b.text = r(b.text);
}
