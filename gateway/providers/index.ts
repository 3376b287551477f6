// A provider ready to call: its adapter (credential baked in), its models by name and its connection pool.
import type { IRModel, IRProvider } from '../../compiler/ir/types.ts';
import type { OriginPool, OriginPools } from '../upstream.ts';
import { endpoint, type ProviderAdapter } from './adapter.ts';
import { anthropicAdapter } from './anthropic.ts';
import { openAIAdapter } from './openai.ts';

export interface ProviderRuntime {
  ir: IRProvider;
  adapter: ProviderAdapter;
  pool: OriginPool;
  models: Map<string, IRModel>;
}

export function providerRuntime(ir: IRProvider, credential: string | undefined, pools: OriginPools): ProviderRuntime {
  const adapter = ir.type === 'anthropic' ? anthropicAdapter(ir, credential) : openAIAdapter(ir, credential);
  // Every call of a provider goes to its base URL's origin, so one pool serves them all.
  return { ir, adapter, pool: pools.for(endpoint(ir.baseUrl)), models: new Map(ir.models.map((m) => [m.name, m])) };
}
