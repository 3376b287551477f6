// Token limits as QuotaPolicies. Envoy AI Gateway cannot tell consumers apart, so each backend model gets one
// bucket: the sum of the per-consumer token limits of every policy granting a route that sends to it (targets and
// fallbacks). It never refuses what the Node gateway would admit; a grant without a token limit leaves it uncapped.
import type { IR, IRProvider } from '../../compiler/ir/types.ts';
import { limitCeiling, limitIndex } from '../limits.ts';
import type { BuildContext, TargetFinding } from '../target.ts';
import { AIGW_ALPHA, meta, type Manifest } from './manifest.ts';
import { servedModel } from './routes.ts';

/** The CRD's limit on models per QuotaPolicy. */
const MAX_MODELS = 128;

export function quotaManifests(ir: IR, context: BuildContext = {}): { manifests: Manifest[]; findings: TargetFinding[] } {
  const providers = new Map(ir.providers.map((p) => [p.name, p]));
  // Routes per backend model, by provider and the model name the backend is sent.
  const routes = new Map<string, Map<string, Set<string>>>();
  for (const r of ir.routes) {
    for (const t of [...r.targets, ...r.fallbacks]) {
      const models = routes.get(t.provider) ?? routes.set(t.provider, new Map()).get(t.provider)!;
      const served = servedModel(providers.get(t.provider)!, t.model);
      models.set(served, (models.get(served) ?? new Set()).add(r.name));
    }
  }
  const manifests: Manifest[] = [];
  const findings: TargetFinding[] = [];
  const { subjects, granting } = limitIndex(ir, context);
  for (const p of [...providers.values()].filter((x) => routes.has(x.name)).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const quotas = [...routes.get(p.name)!]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .flatMap(([modelName, names]) => {
        const limit = limitCeiling(granting(names), 'tokensPerMinute', subjects);
        return limit === undefined ? [] : [{ modelName, quota: { defaultBucket: { duration: '1m', limit } } }];
      });
    if (quotas.length > MAX_MODELS) findings.push(tooMany(p, quotas.length));
    else if (quotas.length) manifests.push(quotaPolicy(ir, p, quotas));
  }
  return { manifests, findings };
}

function quotaPolicy(ir: IR, p: IRProvider, perModelQuotas: unknown[]): Manifest {
  return {
    apiVersion: AIGW_ALPHA,
    kind: 'QuotaPolicy',
    metadata: meta(ir, p.name),
    spec: { targetRefs: [{ group: 'aigateway.envoyproxy.io', kind: 'AIServiceBackend', name: p.name }], perModelQuotas },
  };
}

function tooMany(p: IRProvider, n: number): TargetFinding {
  return {
    ruleId: 'target-limit',
    severity: 'error',
    resource: `Provider/${p.name}`,
    path: ['spec', 'models'],
    message: `provider ${p.name} has ${n} token-limited models; a QuotaPolicy holds at most ${MAX_MODELS}`,
  };
}
