// For demos against the mocks (scripts/mock-providers.ts): when a request asks for structured output, a reply that
// is a JSON example of the schema it gives, in whichever dialect it asks (OpenAI's `response_format`, Anthropic's
// and Bedrock's forced tool). Tests script their structured answers with `structured` instead.

/** The JSON text of an example of the schema the request asks its answer to follow; undefined when it asks none. */
export function structuredReply(body: any): string | undefined {
  const schema =
    body?.response_format?.json_schema?.schema ??
    body?.tools?.find((t: any) => body.tool_choice?.type === 'tool' && t.name === body.tool_choice.name)?.input_schema ??
    body?.toolConfig?.tools?.find((t: any) => t.toolSpec?.name === body.toolConfig.toolChoice?.tool?.name)?.toolSpec?.inputSchema?.json;
  return schema === undefined ? undefined : JSON.stringify(exampleOf(schema));
}

/** The simplest value of a schema: required properties only, the first enum value, empty strings become "mock". */
export function exampleOf(schema: any): unknown {
  if (schema?.const !== undefined) return schema.const;
  if (Array.isArray(schema?.enum)) return schema.enum[0];
  const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
  switch (type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((name: string) => [name, exampleOf(schema.properties?.[name])]));
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => exampleOf(schema.items));
    case 'integer':
    case 'number':
      return schema.minimum ?? 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return 'mock';
  }
}
