import type { ModelRef } from '../../schema/types.ts';
import type { Rule } from '../rule.ts';

/** Models their vendors have retired; mark others with `deprecated: true` on the provider model. */
const RETIRED_MODELS: ReadonlySet<string> = new Set([
  'text-davinci-003',
  'gpt-3.5-turbo-0301',
  'gpt-3.5-turbo-0613',
  'gpt-4-32k',
  'gpt-4-vision-preview',
  'claude-instant-1.2',
  'claude-2.0',
  'claude-2.1',
  'claude-3-sonnet-20240229',
]);

export const deprecatedModel: Rule = {
  id: 'deprecated-model',
  description: 'No route targets or falls back to a model marked `deprecated: true` or retired by its vendor.',
  rationale: "Retired models start failing on the vendor's date, not at a time of your choosing; migrate while there is a fallback.",
  defaultSeverity: 'warning',
  reads: { on: ['Route'], kinds: ['Provider'] },
  *check(ctx) {
    for (const route of ctx.byKind('Route')) {
      const refs: [ModelRef, 'targets' | 'fallbacks', number][] = [
        ...(route.value.spec.targets ?? []).map((t, i) => [t, 'targets', i] as [ModelRef, 'targets', number]),
        ...(route.value.spec.fallbacks ?? []).map((f, i) => [f, 'fallbacks', i] as [ModelRef, 'fallbacks', number]),
      ];
      for (const [ref, list, i] of refs) {
        const declared = ctx.byId('Provider', ref.provider)?.value.spec.models?.find((m) => m.name === ref.model);
        const why = declared?.deprecated
          ? 'is marked deprecated'
          : RETIRED_MODELS.has(ref.model)
            ? 'has been retired by its vendor'
            : undefined;
        if (!why) continue;
        yield {
          resource: route,
          path: ['spec', list, i, 'model'],
          message: `Route ${route.name} uses ${ref.provider}/${ref.model}, which ${why}.`,
          hint: 'Move the route to a current model; keep the old one as a fallback only while migrating.',
        };
      }
    }
  },
};
