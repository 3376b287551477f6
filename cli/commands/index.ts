// Every CLI command, each registered from its own module.
import type { Command } from 'commander';
import { register as approvals } from './approvals.ts';
import { register as build } from './build.ts';
import { register as diff } from './diff.ts';
import { register as graph } from './graph.ts';
import { register as init } from './init.ts';
import { register as owners } from './owners.ts';
import { register as plan } from './plan.ts';
import { register as policy } from './policy.ts';
import { register as portal } from './portal.ts';
import { register as promote } from './promote.ts';
import { register as rules } from './rules.ts';
import { register as schema } from './schema.ts';
import { register as serve } from './serve.ts';
import { register as usage } from './usage.ts';
import { register as validate } from './validate.ts';
import { register as verifyPlan } from './verify-plan.ts';

export const COMMANDS: ((program: Command) => void)[] = [
  validate,
  build,
  graph,
  schema,
  init,
  usage,
  plan,
  promote,
  diff,
  policy,
  rules,
  serve,
  verifyPlan,
  owners,
  approvals,
  portal,
];
