// The Messages request checks: a bad field anywhere is named by its full path (Anthropic's `messages.2.content.1.id`),
// the first one in the body's order; a valid body is taken as it came, its max_tokens capped by the route.
import { describe, expect, it } from 'vitest';
import type { IRRoute } from '../../../compiler/ir/types.ts';
import type { Body } from '../api.ts';
import { parseCountTokens, parseMessages } from './request.ts';

const ROUTE = { name: 'r', maxTokens: 100 } as IRRoute;
const raw = Buffer.from('{}');
const said = (text: string) => ({ role: 'user', content: text });

const refusal = (body: Body) => {
  try {
    parseMessages({ model: 'm', max_tokens: 5, ...body }, raw, ROUTE);
    return 'accepted';
  } catch (err: any) {
    return `${err.status} ${err.param}: ${err.message}`;
  }
};

describe('parseMessages', () => {
  it('names the first bad field by its whole path, at any index and depth', () => {
    const toolUse = { type: 'tool_use', id: 'a', name: 'n', input: {} };
    expect(refusal({ messages: [said('x'), said('y'), { role: 'assistant', content: [toolUse, { ...toolUse, id: 7 }] }] })).toBe(
      '400 messages.2.content.1.id: messages.2.content.1.id: must be a string.',
    );
    const result = (content: unknown) => ({ type: 'tool_result', tool_use_id: 'a', content });
    expect(refusal({ messages: [said('x'), { role: 'user', content: [result([{ type: 'text', text: 'ok' }, toolUse])] }] })).toBe(
      '400 messages.1.content.0.content.1.type: messages.1.content.0.content.1.type: a tool result cannot hold tool blocks.',
    );
    expect(refusal({ messages: [said('x'), { role: 'user', content: [result(3)] }] })).toBe(
      '400 messages.1.content.0.content: messages.1.content.0.content: must be a string or an array of content blocks.',
    );
    expect(refusal({ messages: [said('x')], system: [{ type: 'text', text: 's' }, { type: 'text' }] })).toBe(
      '400 system.1: system.1: must be a text block.',
    );
    expect(refusal({ messages: [said('x')], tools: [{ name: 'a' }, {}] })).toBe('400 tools.1.name: tools.1.name: a tool name is required.');
    // Messages come before the other fields.
    expect(refusal({ messages: [said('x'), 5], tools: [{}] })).toBe('400 messages.1: messages.1: must be an object.');
  });

  it('takes a valid body as it came, max_tokens capped by the route', () => {
    const body = { model: 'm', max_tokens: 500, stream: true, messages: [said('x')], thinking: { type: 'enabled', budget_tokens: 50 } };
    const req = parseMessages(body, raw, ROUTE);
    expect(req).toEqual({ body, raw, stream: true, edited: false, maxTokens: 100 });
    expect(req.body).toBe(body);
    expect(parseMessages({ ...body, max_tokens: 50 }, raw, ROUTE).maxTokens).toBe(50);
    expect(parseCountTokens({ model: 'm', messages: [said('x')] }, raw)).toEqual({
      body: { model: 'm', messages: [said('x')] },
      raw,
      stream: false,
      edited: false,
    });
  });
});
