// A provider ready to call: its adapter (credential baked in), its models by name and its keep-alive agent.
import type http from 'node:http';
import type { IRModel, IRProvider } from '../../../../compiler/ir/types.ts';
import type { AgentPool } from '../upstream.ts';
import { endpoint, type ProviderAdapter } from './adapter.ts';
import { anthropicAdapter } from './anthropic.ts';
import { openAIAdapter } from './openai.ts';

export interface ProviderRuntime {
  ir: IRProvider;
  adapter: ProviderAdapter;
  agent: http.Agent;
  models: Map<string, IRModel>;
}

export function providerRuntime(ir: IRProvider, credential: string | undefined, agents: AgentPool): ProviderRuntime {
  const adapter = ir.type === 'anthropic' ? anthropicAdapter(ir, credential) : openAIAdapter(ir, credential);
  // Every call of a provider goes to its base URL's origin, so one agent serves them all.
  return { ir, adapter, agent: agents.for(endpoint(ir.baseUrl)), models: new Map(ir.models.map((m) => [m.name, m])) };
}
