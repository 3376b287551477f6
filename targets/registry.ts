// Every target by name, in the order `modelgate build` runs and lists them.
import { envoyAIGatewayTarget } from './envoy-ai-gateway/index.ts';
import { envoyTarget } from './envoy/index.ts';
import { createK8sTarget } from './k8s/index.ts';
import { nodeTarget } from './node/index.ts';
import type { Target, TargetName } from './target.ts';

export const TARGETS: readonly Target[] = [nodeTarget, envoyTarget, createK8sTarget(nodeTarget), envoyAIGatewayTarget];

export const TARGET_NAMES: readonly TargetName[] = TARGETS.map((t) => t.name);

export function getTarget(name: TargetName): Target {
  const target = TARGETS.find((t) => t.name === name);
  if (!target) throw new Error(`unknown target ${name}`);
  return target;
}
