// Starts mock OpenAI (also Azure, OpenAI-compatible paths and the Responses API), Anthropic, Bedrock and Gemini
// upstreams on fixed local ports, so that the acme fixture's `local` environment can be served without reaching a
// real provider:
//   npx tsx scripts/mock-providers.ts     # OpenAI-style on 127.0.0.1:4010, Anthropic on :4011, Bedrock on :4012, Gemini on :4013
// A request asking for structured output (a prompt API such as acme's POST /ai-code-reviewer) gets a JSON example
// of its schema.
import { startMockAnthropic, startMockBedrock, startMockGemini, startMockOpenAI } from '../test/mock-providers/index.ts';
import { structuredReply } from '../test/mock-providers/structured.ts';

const defaults = (name: string) => ({ reply: (body: unknown) => structuredReply(body) ?? `Hello from the mock ${name}.` });
const mocks = {
  'OpenAI-style': await startMockOpenAI({ port: 4010, record: false, defaults: defaults('OpenAI') }),
  Anthropic: await startMockAnthropic({ port: 4011, record: false, defaults: defaults('Anthropic') }),
  'Bedrock (any signature)': await startMockBedrock({ port: 4012, record: false, defaults: defaults('Bedrock') }),
  Gemini: await startMockGemini({ port: 4013, record: false, defaults: defaults('Gemini') }),
};
for (const [name, mock] of Object.entries(mocks)) process.stdout.write(`mock ${name} upstream on ${mock.baseUrl}\n`);
process.stdout.write('(Ctrl-C stops them)\n');
const stop = async (): Promise<void> => {
  await Promise.all(Object.values(mocks).map((mock) => mock.close()));
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
