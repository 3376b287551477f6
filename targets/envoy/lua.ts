// The request rewrite Envoy cannot do declaratively: the public model name in the JSON body becomes the provider's
// model, and the OpenAI path becomes the provider's (Azure puts the deployment and api-version in the URL).
import type { IRModel, IRProvider } from '../../compiler/ir/types.ts';
import { DEFAULT_AZURE_API_VERSION, parseUpstreamUrl } from '../emit.ts';
import { MODEL_HEADER, openAIError } from './config.ts';

/** Client paths the rewrite serves, by the upstream operation they map to. */
const OPERATIONS = { '/v1/chat/completions': 'chat/completions', '/v1/embeddings': 'embeddings' } as const;

/** The upstream path (with query) of one operation on one provider model; same URL rules as the Node runtime. */
export function upstreamPath(provider: IRProvider, model: IRModel, operation: string): string {
  const base = parseUpstreamUrl(provider.baseUrl).basePath;
  if (provider.type !== 'azure-openai') return `${base}/${operation}`;
  const root = base.endsWith('/openai') ? base : `${base}/openai`;
  const deployment = encodeURIComponent(model.deployment ?? model.name);
  return `${root}/deployments/${deployment}/${operation}?api-version=${encodeURIComponent(provider.apiVersion ?? DEFAULT_AZURE_API_VERSION)}`;
}

/** A single-quoted Lua string literal; bytes outside printable ASCII, `'` and `\\` become decimal escapes. */
export function luaString(text: string): string {
  let out = "'";
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte >= 0x20 && byte < 0x7f && byte !== 0x27 && byte !== 0x5c ? String.fromCharCode(byte) : `\\${byte}`;
  }
  return `${out}'`;
}

/**
 * The script for one provider model. It accepts a body whose only `"model"` string equals the `x-ai-model` header
 * (so a client cannot reach another model than the route it matched), swaps in the provider model, and sets the
 * upstream path.
 */
export function rewriteScript(provider: IRProvider, model: IRModel): string {
  const paths = Object.entries(OPERATIONS)
    .map(([client, operation]) => `  [${luaString(client)}] = ${luaString(upstreamPath(provider, model, operation))},`)
    .join('\n');
  const reject = (message: string) => luaString(openAIError(message, 'invalid_request_error', null));
  return `-- modelgate: requests for ${provider.name}/${model.name}
local MODEL_JSON = ${luaString(JSON.stringify(model.name))}
local PATHS = {
${paths}
}
local function reject(handle, status, body)
  handle:respond({ [":status"] = status, ["content-type"] = "application/json" }, body)
end

function envoy_on_request(handle)
  local headers = handle:headers()
  local path = (headers:get(":path"):gsub("%?.*$", ""))
  local upstream = PATHS[path]
  if upstream == nil then
    return reject(handle, "404", ${reject('This model does not serve this endpoint.')})
  end
  local body = handle:body()
  if body == nil then
    return reject(handle, "400", ${reject('A JSON request body is required.')})
  end
  local public = headers:get(${luaString(MODEL_HEADER)})
  local seen, swapped = 0, 0
  local text = body:getBytes(0, body:length())
  local rewritten = text:gsub('"model"%s*:%s*"([^"\\\\]*)"', function(value)
    seen = seen + 1
    if value == public then
      swapped = swapped + 1
      return '"model":' .. MODEL_JSON
    end
  end)
  if seen ~= 1 or swapped ~= 1 then
    return reject(handle, "400", ${reject(`The "model" of the request body must equal the ${MODEL_HEADER} header.`)})
  end
  body:setBytes(rewritten)
  headers:replace("content-length", tostring(#rewritten))
  headers:replace(":path", upstream)
end
`;
}
