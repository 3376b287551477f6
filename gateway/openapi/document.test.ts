// The OpenAPI document `modelgate build` writes: valid OpenAPI 3.1 (swagger-parser), every route's model ids,
// each exposed prompt's contract with its test cases as examples, byte-identical from one build to the next.
import SwaggerParser from '@apidevtools/swagger-parser';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import { nodeTarget } from '../../targets/node/index.ts';
import { sampleIR } from '../../test/support/ir-fixture.ts';
import { buildOpenApi } from './document.ts';

const RESPONSE = { type: 'object', required: ['reply'], additionalProperties: false, properties: { reply: { type: 'string' } } };

function exposedIR(): IR {
  const ir = sampleIR();
  const prompt = ir.prompts[0]!;
  prompt.expose = { method: 'POST', path: '/v1/apps/support-reply', request: prompt.variables, response: RESPONSE };
  prompt.tests = [
    { name: 'refund', request: { customer: 'Ann' }, response: { reply: 'Your refund is on its way.' } },
    { name: 'no-answer', request: { customer: 'Bob' } },
  ];
  ir.routes[0]!.aliases = { exact: ['gpt-4o'], patterns: ['claude-sonnet-*'] };
  return ir;
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 with every API, the auth schemes and the error shapes', async () => {
    const doc: any = buildOpenApi(exposedIR()).document;
    await SwaggerParser.validate(structuredClone(doc));
    expect(doc.openapi).toBe('3.1.0');
    // The version follows the content: a config whose API differs has another one.
    const other = exposedIR();
    other.prompts[0]!.expose!.path = '/v1/apps/reply';
    expect(doc.info.version).toMatch(/^[0-9a-f]{12}$/);
    expect((buildOpenApi(other).document as any).info.version).not.toBe(doc.info.version);
    expect(Object.keys(doc.paths)).toEqual([
      '/v1/chat/completions',
      '/v1/messages',
      '/v1/messages/count_tokens',
      '/v1/responses',
      '/v1/responses/{id}',
      '/v1/embeddings',
      '/v1/models',
      '/v1/models/{id}',
      '/v1/prompts/{name}',
      '/v1/apps/support-reply',
      '/openapi.json',
    ]);
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['bearer', 'apiKey']);
    expect(doc.paths['/v1/messages'].post.responses['529'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/AnthropicError',
    });
  });

  it("lists every route's names and aliases, patterns as regular expressions", () => {
    const { ChatModel, EmbeddingModel } = (buildOpenApi(exposedIR()).document as any).components.schemas;
    expect(ChatModel.anyOf[0].enum).toEqual(expect.arrayContaining(['chat-default', 'gpt-4o']));
    expect(ChatModel.anyOf[1]).toEqual({ type: 'string', pattern: '^claude-sonnet-.*$', description: 'alias `claude-sonnet-*`' });
    expect(EmbeddingModel).toEqual({ type: 'string', enum: ['embeddings'] });
  });

  it('describes an exposed prompt by its contract, its test cases as examples', () => {
    const op = (buildOpenApi(exposedIR()).document as any).paths['/v1/apps/support-reply'].post;
    expect(op.requestBody.content['application/json']).toEqual({
      schema: exposedIR().prompts[0]!.variables,
      examples: { refund: { value: { customer: 'Ann' } }, 'no-answer': { value: { customer: 'Bob' } } },
    });
    expect(op.responses['200'].content['application/json']).toEqual({
      schema: RESPONSE,
      examples: { refund: { value: { reply: 'Your refund is on its way.' } } },
    });
    expect(Object.keys(op.responses['200'].headers)).toContain('x-modelgate-input-tokens');
  });

  it('is written by the node target as openapi.yaml, byte-identical from one build to the next', async () => {
    const [a, b] = await Promise.all([nodeTarget.build(exposedIR()), nodeTarget.build(exposedIR())]);
    expect(a.files['openapi.yaml']).toBe(b.files['openapi.yaml']);
    expect(parse(a.files['openapi.yaml']!)).toEqual(buildOpenApi(exposedIR()).document);
  });
});
