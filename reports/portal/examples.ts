// Copy-paste examples for one route, prompt or MCP server, against the environment's gateway URL. The shapes are
// those docs/node-gateway.md documents and the agent-CLI tests run (Claude Code, Codex, the SDKs).
import type { IRMcpServer, IRPrompt, IRRoute } from '../../compiler/ir/types.ts';
import { exposeOf } from './catalogue.ts';

export interface Example {
  title: string;
  code: string;
}

const KEY_VARIABLE = 'MODELGATE_API_KEY';
const HELLO = [{ role: 'user', content: 'Hello' }];

export function routeExamples(route: IRRoute, gateway: string): Example[] {
  const model = JSON.stringify(route.name);
  if (route.type === 'embeddings')
    return [
      curl(`${gateway}/v1/embeddings`, { model: route.name, input: 'Hello' }),
      {
        title: 'OpenAI SDK (Python)',
        code: `${openaiClient(gateway)}
vectors = client.embeddings.create(model=${model}, input="Hello")
print(len(vectors.data[0].embedding))
`,
      },
    ];
  return [
    curl(`${gateway}/v1/chat/completions`, { model: route.name, messages: HELLO }),
    {
      title: 'OpenAI SDK (Python)',
      code: `${openaiClient(gateway)}
answer = client.chat.completions.create(model=${model}, messages=[{"role": "user", "content": "Hello"}])
print(answer.choices[0].message.content)
`,
    },
    {
      title: 'Anthropic SDK (Python), the Messages API',
      code: `import os
from anthropic import Anthropic

client = Anthropic(base_url=${JSON.stringify(gateway)}, api_key=os.environ["${KEY_VARIABLE}"])
message = client.messages.create(model=${model}, max_tokens=1024, messages=[{"role": "user", "content": "Hello"}])
print(message.content[0].text)
`,
    },
    {
      title: 'Claude Code (~/.claude/settings.json, the key in ANTHROPIC_AUTH_TOKEN)',
      code: `${JSON.stringify(
        { env: { ANTHROPIC_BASE_URL: gateway, ANTHROPIC_MODEL: route.name, ANTHROPIC_DEFAULT_HAIKU_MODEL: route.name } },
        null,
        2,
      )}
`,
    },
    {
      title: 'Codex (~/.codex/config.toml), the Responses API',
      code: `model = ${model}
model_provider = "modelgate"

[model_providers.modelgate]
name = "modelgate"
base_url = ${JSON.stringify(`${gateway}/v1`)}
env_key = "${KEY_VARIABLE}"
wire_api = "responses"
`,
    },
  ];
}

export function promptExamples(prompt: IRPrompt, gateway: string): Example[] {
  const expose = exposeOf(prompt);
  const variables = exampleOf(prompt.variables);
  const generic = { variables };
  const examples = [curl(`${gateway}/v1/prompts/${prompt.name}`, generic), fetchExample(`${gateway}/v1/prompts/${prompt.name}`, generic)];
  if (!expose) return examples;
  const body = exampleOf(expose.request);
  return [
    { ...curl(`${gateway}${expose.path}`, body, expose.method), title: `curl, the prompt's own endpoint` },
    fetchExample(`${gateway}${expose.path}`, body, expose.method),
    ...examples.map((e) => ({ ...e, title: `${e.title}, through /v1/prompts` })),
  ];
}

export function mcpExamples(server: IRMcpServer, gateway: string): Example[] {
  return [
    {
      title: `Claude Code (.mcp.json in a project); the tools appear as ${server.name}__<tool>`,
      code: `${JSON.stringify(
        {
          mcpServers: {
            modelgate: { type: 'http', url: `${gateway}/mcp`, headers: { Authorization: `Bearer \${${KEY_VARIABLE}}` } },
          },
        },
        null,
        2,
      )}
`,
    },
    {
      title: 'Claude Code, from the shell',
      code: `claude mcp add --transport http modelgate ${shellQuote(`${gateway}/mcp`)} --header "Authorization: Bearer $${KEY_VARIABLE}"\n`,
    },
  ];
}

function curl(url: string, body: unknown, method = 'POST'): Example {
  return {
    title: 'curl',
    code: `curl -s${method === 'POST' ? '' : ` -X ${method}`} ${shellQuote(url)} \\
  -H "Authorization: Bearer $${KEY_VARIABLE}" \\
  -H 'content-type: application/json' \\
  -d ${shellQuote(JSON.stringify(body))}
`,
  };
}

function fetchExample(url: string, body: unknown, method = 'POST'): Example {
  return {
    title: 'fetch (JavaScript)',
    code: `const response = await fetch(${JSON.stringify(url)}, {
  method: ${JSON.stringify(method)},
  headers: { authorization: \`Bearer \${process.env.${KEY_VARIABLE}}\`, 'content-type': 'application/json' },
  body: JSON.stringify(${JSON.stringify(body, null, 2).replace(/\n/g, '\n  ')}),
});
console.log(await response.json());
`,
  };
}

function openaiClient(gateway: string): string {
  return `import os
from openai import OpenAI

client = OpenAI(base_url=${JSON.stringify(`${gateway}/v1`)}, api_key=os.environ["${KEY_VARIABLE}"])`;
}

/** A value a JSON Schema accepts, for examples: its example, default or first enum value, else a placeholder. */
export function exampleOf(schema: unknown, name = 'value'): unknown {
  if (!schema || typeof schema !== 'object') return `<${name}>`;
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if ('default' in s) return s.default;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'object' || s.properties) {
    const properties = (s.properties ?? {}) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(properties).map(([key, sub]) => [key, exampleOf(sub, key)]));
  }
  if (type === 'array') return [exampleOf(s.items, name)];
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return true;
  return `<${name}>`;
}

/** One shell word: single quotes, a quote inside closed and reopened around an escaped one. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
