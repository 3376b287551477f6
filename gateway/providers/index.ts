// A provider ready to call: its adapter (credential baked in), its models by name and its connection pool.
import type { IRModel, IRProvider } from '../../compiler/ir/types.ts';
import type { SecretResolver } from '../secrets.ts';
import type { OriginPool, OriginPools } from '../upstream.ts';
import { endpoint, type ProviderAdapter } from './adapter.ts';
import { anthropicAdapter } from './anthropic.ts';
import { bedrockAdapter } from './bedrock.ts';
import { geminiAdapter } from './gemini.ts';
import { openAIAdapter } from './openai.ts';

export interface ProviderRuntime {
  ir: IRProvider;
  adapter: ProviderAdapter;
  pool: OriginPool;
  models: Map<string, IRModel>;
}

/** Resolves the provider's secrets now: a missing one throws, naming its reference. */
export function providerRuntime(ir: IRProvider, secrets: SecretResolver, pools: OriginPools): ProviderRuntime {
  // Every call of a provider goes to its base URL's origin, so one pool serves them all.
  return {
    ir,
    adapter: adapterFor(ir, secrets),
    pool: pools.for(endpoint(ir.baseUrl)),
    models: new Map(ir.models.map((m) => [m.name, m])),
  };
}

function adapterFor(ir: IRProvider, secrets: SecretResolver): ProviderAdapter {
  if (ir.type === 'bedrock') return bedrockAdapter(ir, secrets);
  const credential = ir.credential ? secrets(ir.credential) : undefined;
  switch (ir.type) {
    case 'anthropic':
      return anthropicAdapter(ir, credential);
    case 'gemini':
      return geminiAdapter(ir, credential);
    default:
      return openAIAdapter(ir, credential);
  }
}
