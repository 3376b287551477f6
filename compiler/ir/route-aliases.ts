// A route's aliases as the gateway looks them up: exact ids (a Map there) apart from glob patterns (tried in
// turn), each sorted so that the IR does not depend on the order they were written in.
import { isModelPattern } from '../../kernel/model-glob.ts';
import type { IRRouteAliases } from './types.ts';

export function routeAliases(aliases: readonly string[]): IRRouteAliases {
  const sorted = [...new Set(aliases)].sort();
  return { exact: sorted.filter((a) => !isModelPattern(a)), patterns: sorted.filter(isModelPattern) };
}
