// Mock LLM upstreams for tests and benchmarks: real wire formats on 127.0.0.1, scripted failures.
export { startMockOpenAI } from './openai.ts';
export { startMockAnthropic } from './anthropic.ts';
export type { MockBehaviour, MockOptions, MockUpstream, RecordedRequest } from './server.ts';
