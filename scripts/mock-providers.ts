// Starts mock OpenAI (also Azure and OpenAI-compatible paths) and Anthropic upstreams on fixed local ports,
// so that the acme fixture's `local` environment can be served without reaching a real provider:
//   npx tsx scripts/mock-providers.ts     # OpenAI-style on 127.0.0.1:4010, Anthropic on 127.0.0.1:4011
import { startMockAnthropic, startMockOpenAI } from '../test/mock-providers/index.ts';

const openai = await startMockOpenAI({ port: 4010, record: false });
const anthropic = await startMockAnthropic({ port: 4011, record: false });
process.stdout.write(`mock OpenAI-style upstream on ${openai.origin}\nmock Anthropic upstream on ${anthropic.origin}\n(Ctrl-C stops them)\n`);
const stop = async (): Promise<void> => {
  await Promise.all([openai.close(), anthropic.close()]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
