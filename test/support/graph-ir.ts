// A small hand-made IR for the graph tests: two teams, a prompt, a weighted route with fallbacks.
import type { IR, IRPrompt, IRProvider } from '../../compiler/ir/types.ts';
import { testConsumer, testIR, testModel, testPolicy, testProvider, testRoute } from './ir-fixture.ts';

export function provider(name: string, models: string[]): IRProvider {
  return testProvider(name, { models: models.map((m) => testModel(m, { inputPricePer1M: 1, outputPricePer1M: 2 })) });
}

export function prompt(name: string, route: string): IRPrompt {
  return {
    name,
    labels: {},
    route,
    variables: { type: 'object' },
    versions: { v1: { messages: [] } },
    serve: [{ version: 'v1', weight: 100 }],
  };
}

export function smallIR(): IR {
  return testIR({
    providers: [provider('openai', ['gpt-4o', 'gpt-4o-mini']), provider('anthropic', ['claude'])],
    routes: [
      testRoute('chat', {
        targets: [
          { provider: 'openai', model: 'gpt-4o-mini', weight: 3 },
          { provider: 'anthropic', model: 'claude', weight: 1 },
        ],
        fallbacks: [{ provider: 'openai', model: 'gpt-4o' }],
      }),
      testRoute('premium', { targets: [{ provider: 'openai', model: 'gpt-4o', weight: 1 }] }),
    ],
    prompts: [prompt('summary', 'chat')],
    consumers: [
      testConsumer('pay-api', { labels: { team: 'payments' } }),
      testConsumer('support-bot', { labels: { team: 'support' } }),
      testConsumer('loner'),
    ],
    accessPolicies: [
      testPolicy('payments', { consumers: ['pay-api'], routes: ['chat', 'premium'], limits: { monthlyBudgetUsd: 100 } }),
      testPolicy('support', { consumers: ['support-bot', 'loner'], prompts: ['summary'] }),
    ],
  });
}
