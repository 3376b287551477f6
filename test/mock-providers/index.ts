// Mock LLM upstreams for tests and benchmarks: real wire formats on 127.0.0.1, scripted failures.
export { startMockOpenAI } from './openai.ts';
export { startMockAnthropic } from './anthropic.ts';
export { BEDROCK_TEST_CREDENTIALS, BEDROCK_TEST_REGION, startMockBedrock, type BedrockMockOptions } from './bedrock.ts';
export { startMockGemini } from './gemini.ts';
export { Sha256, type AwsCredentials } from './sigv4.ts';
export type { MockBehaviour, MockOptions, MockUpstream, RecordedRequest } from './server.ts';
