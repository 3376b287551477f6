import type { DocPath } from '../../kernel/resource.ts';
import { plainHttpOffLoopback } from '../plain-http.ts';
import type { Rule } from '../rule.ts';

export const prodGuardrailHttps: Rule = {
  id: 'prod-guardrail-https',
  description:
    'In production, the services of `moderation`, `presidio` and `webhook` guardrails are reached over HTTPS (plain HTTP only on the loopback interface).',
  rationale:
    'A remote checker receives the prompts and answers it checks, and often a credential: over plain HTTP anyone on the path reads them.',
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['Guardrail'] },
  tiers: ['production'],
  *check(ctx) {
    for (const guardrail of ctx.byKind('Guardrail')) {
      const { moderation, presidio, webhook } = guardrail.value.spec.check;
      const urls: [DocPath, string | undefined][] = [
        [['spec', 'check', 'moderation', 'url'], moderation?.url],
        [['spec', 'check', 'presidio', 'analyzerUrl'], presidio?.analyzerUrl],
        [['spec', 'check', 'presidio', 'anonymizerUrl'], presidio?.anonymizerUrl],
        [['spec', 'check', 'webhook', 'url'], webhook?.url],
      ];
      for (const [path, url] of urls) {
        if (!plainHttpOffLoopback(url)) continue;
        yield {
          resource: guardrail,
          path,
          message: `Guardrail ${guardrail.name} sends texts over plain HTTP in production (${path.at(-1)}).`,
          hint: 'Use an `https://` URL (a sidecar on localhost may stay on HTTP).',
        };
      }
    }
  },
};
