// The node target: `gateway.mjs` (the bundled runtime), `config.json` (the IR it serves, credentials as
// references only) and `openapi.yaml` (the OpenAPI 3.1 document of what it serves, as `GET /openapi.json` has it). What the runtime cannot serve is reported as findings on the resource that asks for it.
import type { IR, IRProvider } from '../../compiler/ir/types.ts';
import { buildOpenApi } from '../../gateway/openapi/document.ts';
import { stableJson, toYaml } from '../emit.ts';
import { piece, type BuildContext, type PieceCache, type Target, type TargetFinding } from '../target.ts';
import { bundleGateway } from './bundle.ts';
import { variablesValidator } from '../../gateway/prompts.ts';

export const nodeTarget: Target = {
  name: 'node',
  description: 'single-file Node.js gateway: gateway.mjs + config.json, and its openapi.yaml',
  async build(ir: IR, { pieces }: BuildContext = {}) {
    return {
      // Sorted keys, then indented so that plans diff config.json line by line.
      files: {
        'config.json': `${stableJson(ir, 2)}\n`,
        'gateway.mjs': await bundleGateway(),
        'openapi.yaml': toYaml(buildOpenApi(ir).document),
      },
      findings: findings(ir, pieces),
    };
  },
};

/** Provider types the gateway sends no embeddings to, and why. */
const NO_EMBEDDINGS: Partial<Record<IRProvider['type'], string>> = {
  anthropic: 'Anthropic has no embeddings API',
  bedrock: 'the gateway does not translate embeddings for Bedrock',
  gemini: 'the gateway does not translate embeddings for Gemini',
};

/** Why the gateway could not compile the prompt's variables schema, or '' when it can. */
function variablesProblem(prompt: IR['prompts'][number]): string {
  try {
    variablesValidator(prompt);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

/** What would make the gateway refuse the config at start, found at build time instead. */
function findings(ir: IR, pieces?: PieceCache): TargetFinding[] {
  const types = new Map(ir.providers.map((p) => [p.name, p.type]));
  const out: TargetFinding[] = [];
  for (const prompt of ir.prompts) {
    // Compiling every prompt's schema is most of this target's time at 10,000 resources: the verdict is a piece.
    const { name, variables } = prompt;
    const problem = piece(pieces, 'node:variables-schema', { name, variables }, () => variablesProblem(prompt));
    if (problem) {
      out.push({ ruleId: 'target-invalid', severity: 'error', message: problem, resource: `Prompt/${name}`, path: ['spec', 'variables'] });
    }
  }
  for (const route of ir.routes.filter((r) => r.type === 'embeddings')) {
    for (const [field, refs] of [
      ['targets', route.targets],
      ['fallbacks', route.fallbacks],
    ] as const) {
      refs.forEach((ref, i) => {
        const why = NO_EMBEDDINGS[types.get(ref.provider)!];
        if (!why) return;
        out.push({
          ruleId: 'target-invalid',
          severity: 'error',
          message: `route ${route.name} sends embeddings to ${ref.provider}/${ref.model}, but ${why}.`,
          resource: `Route/${route.name}`,
          path: ['spec', field, i],
          hint: 'Point embeddings routes at an openai, azure-openai or openai-compatible provider.',
        });
      });
    }
  }
  return out;
}
