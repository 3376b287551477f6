// Runs the generated rewrite scripts in LuaJIT (the Lua Envoy embeds) against a stand-in for Envoy's stream handle.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { IRProvider } from '../../compiler/ir/types.ts';
import { DEFAULT_AZURE_API_VERSION } from '../emit.ts';
import { DEFAULT_AZURE_API_VERSION as RUNTIME_AZURE_API_VERSION } from '../../gateway/providers/openai.ts';
import { sampleIR } from '../../test/support/ir-fixture.ts';
import { luaString, rewriteScript, upstreamPath } from './lua.ts';

const luajit = spawnSync('luajit', ['-v']).status === 0;

interface Outcome {
  status: string;
  path: string;
  contentLength: string;
  body: string;
}

/** The script, then a fake handle with the request, then one call of envoy_on_request. */
function run(script: string, path: string, modelHeader: string, body: string): Outcome {
  const harness = `
${script}
local H = { [':path'] = ${luaString(path)}, ['x-ai-model'] = ${luaString(modelHeader)}, ['content-length'] = tostring(#${luaString(body)}) }
local headers = {}
function headers:get(k) return H[k] end
function headers:replace(k, v) H[k] = v end
local buffer = { data = ${luaString(body)} }
function buffer:getBytes(i, n) return self.data:sub(i + 1, i + n) end
function buffer:length() return #self.data end
function buffer:setBytes(s) self.data = s end
local status, answer = '', nil
local handle = {}
function handle:headers() return headers end
function handle:body() return buffer end
function handle:respond(h, b) status = h[':status']; answer = b end
envoy_on_request(handle)
io.write(status, '\\n', H[':path'], '\\n', H['content-length'], '\\n', answer or buffer.data)
`;
  const result = spawnSync('luajit', ['-'], { input: harness, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  const [status, newPath, contentLength, ...rest] = result.stdout.split('\n');
  return { status: status!, path: newPath!, contentLength: contentLength!, body: rest.join('\n') };
}

const ir = sampleIR();
const provider = (name: string): IRProvider => ir.providers.find((p) => p.name === name)!;

describe.skipIf(!luajit)(`envoy rewrite scripts in LuaJIT${luajit ? '' : ' (skipped: luajit is not installed)'}`, () => {
  it('swaps the public model for the provider model and leaves the rest of the body as it was', () => {
    const openai = provider('openai');
    const request = { messages: [{ role: 'user', content: 'quote: "model": "gpt-4o" please' }], model: 'chat-cheap', stream: true };
    const out = run(rewriteScript(openai, openai.models[0]!), '/v1/chat/completions', 'chat-cheap', JSON.stringify(request));
    expect(out.status).toBe('');
    expect(out.path).toBe('/v1/chat/completions');
    expect(JSON.parse(out.body)).toEqual({ ...request, model: 'gpt-4o-mini' });
    expect(Number(out.contentLength)).toBe(Buffer.byteLength(out.body));
  });

  it('puts the Azure deployment and api-version in the path, and escapes odd model names', () => {
    const azure = provider('azure-openai');
    const out = run(
      rewriteScript(azure, azure.models[0]!),
      '/v1/chat/completions?trace=1',
      'chat-eu',
      '{"model" : "chat-eu","messages":[]}',
    );
    expect(out.path).toBe('/openai/deployments/gpt-4o-weu/chat/completions?api-version=2024-10-21');
    const vllm = provider('vllm');
    const llama = run(rewriteScript(vllm, vllm.models[0]!), '/v1/chat/completions', 'chat-local', '{"model":"chat-local"}');
    expect(JSON.parse(llama.body).model).toBe('meta-llama/Llama-3.1-8B-Instruct');
  });

  it('refuses a body whose model differs from the header, so the header cannot unlock another model', () => {
    const openai = provider('openai');
    const out = run(rewriteScript(openai, openai.models[0]!), '/v1/chat/completions', 'chat-cheap', '{"model":"gpt-4o"}');
    expect(out.status).toBe('400');
    expect(JSON.parse(out.body).error.message).toMatch(/must equal the x-ai-model header/);
  });

  it('answers 404 for an endpoint the model does not serve', () => {
    const openai = provider('openai');
    expect(run(rewriteScript(openai, openai.models[0]!), '/v1/completions', 'chat-cheap', '{"model":"chat-cheap"}').status).toBe('404');
  });
});

describe('upstream paths', () => {
  it('follow the Node runtime: base path plus operation, Azure deployments with the same default api-version', () => {
    expect(RUNTIME_AZURE_API_VERSION).toBe(DEFAULT_AZURE_API_VERSION);
    const azure = { ...provider('azure-openai'), baseUrl: 'https://x.openai.azure.com', apiVersion: undefined };
    expect(upstreamPath(azure, { ...azure.models[1]!, deployment: undefined }, 'embeddings')).toBe(
      `/openai/deployments/gpt-4o-mini/embeddings?api-version=${DEFAULT_AZURE_API_VERSION}`,
    );
    expect(upstreamPath(provider('vllm'), provider('vllm').models[0]!, 'chat/completions')).toBe('/v1/chat/completions');
  });
});
