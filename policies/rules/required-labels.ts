import type { AnyResource } from '../../kernel/resource.ts';
import type { Rule } from '../rule.ts';

const REQUIRED_LABELS = ['owner', 'team'] as const;
const LABELLED_KINDS = ['Gateway', 'Provider', 'Route', 'Prompt', 'Consumer', 'AccessPolicy', 'McpServer'] as const;

export const requiredLabels: Rule = {
  id: 'required-labels',
  description: `Gateways, providers, routes, prompts, consumers, access policies and MCP servers carry the labels ${REQUIRED_LABELS.map((l) => `\`${l}\``).join(' and ')}.`,
  rationale: 'During an incident or a cost review someone must answer for each resource; labels are how reports and alerts find them.',
  defaultSeverity: 'warning',
  reads: { kinds: [], on: LABELLED_KINDS },
  *check(ctx) {
    for (const kind of LABELLED_KINDS) {
      for (const resource of ctx.byKind(kind) as readonly AnyResource[]) {
        const labels = resource.value.metadata.labels;
        const missing = REQUIRED_LABELS.filter((l) => !labels?.[l]);
        if (missing.length === 0) continue;
        yield {
          resource,
          path: labels ? ['metadata', 'labels'] : ['metadata'],
          message: `${resource.id} has no ${missing.map((l) => `\`${l}\``).join(' or ')} label.`,
          hint: `Add \`metadata.labels\`: ${missing.map((l) => `${l}: ...`).join(', ')}.`,
        };
      }
    }
  },
};
