// Stands in for the node target in the k8s target's tests: the k8s target only mounts its files.
import type { IR } from '../../compiler/ir/types.ts';
import { stableJson } from '../../targets/emit.ts';
import type { Target } from '../../targets/target.ts';

export const fakeNode: Target = {
  name: 'node',
  description: 'test double',
  build: (ir: IR) => ({ files: { 'config.json': stableJson(ir), 'gateway.mjs': 'console.log("gateway");\n' }, findings: [] }),
};
