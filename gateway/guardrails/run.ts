// One guardrail on some texts: the checker's answer within its timeout, the verdict recorded, and what follows
// (the masked texts, or a refusal thrown in the gateway's error type).
import type { IRGuardrail } from '../../compiler/ir/types.ts';
import type { GuardrailVerdict } from '../../schema/types.ts';
import { GatewayError } from '../errors.ts';
import type { Checker, CheckResult, RemoteChecker, Stage } from './checker.ts';
import { builtInResult } from './checkers.ts';

export interface Guard {
  ir: IRGuardrail;
  checker: Checker;
}

/** What a guardrail needs of the request's call (the gateway's `Call`): where verdicts go, the API's name. */
export interface GuardedCall {
  readonly api: { readonly name: string };
  verdict(v: GuardrailVerdict): void;
}

/**
 * Runs one guardrail: undefined when the texts pass (or are only flagged), the masked texts for a mask; throws a
 * block, or the failure of a checker whose `onError` is deny. Synchronous for a built-in checker, so that a request
 * through built-in guardrails awaits no promise per guardrail; a promise for a remote one.
 */
export function apply(call: GuardedCall, g: Guard, stage: Stage, texts: string[]): string[] | undefined | Promise<string[] | undefined> {
  const checker = g.checker;
  if (checker.builtIn) return outcome(call, g, stage, builtInResult(checker.builtIn, texts, g.ir.action === 'mask'));
  return check(call, g, checker, stage, texts).then((result) => outcome(call, g, stage, result));
}

/** What follows a checker's answer: the verdict recorded, then nothing, the masked texts, or the refusal thrown. */
function outcome(call: GuardedCall, g: Guard, stage: Stage, result: CheckResult | undefined): string[] | undefined {
  if (!result || result.categories.length === 0) return undefined;
  const action = g.ir.action === 'mask' && !result.masked ? 'block' : g.ir.action;
  call.verdict({ guardrail: g.ir.name, stage, action, categories: result.categories });
  if (action === 'flag') return undefined;
  if (action === 'block') throw blocked(g.ir.name, stage, result.categories);
  return result.masked;
}

/** A remote checker's answer within the guardrail's timeout; undefined when it failed and `onError` allows. */
async function check(call: GuardedCall, g: Guard, checker: RemoteChecker, stage: Stage, texts: string[]): Promise<CheckResult | undefined> {
  const signal = AbortSignal.timeout(g.ir.timeoutMs);
  try {
    return await checker.check(texts, stage, g.ir.action === 'mask', signal);
  } catch {
    const category = signal.aborted ? 'timeout' : 'unavailable';
    call.verdict({ guardrail: g.ir.name, stage, action: 'error', categories: [category] });
    if (g.ir.onError === 'allow') return undefined;
    throw new GatewayError(
      503,
      'api_error',
      'guardrail_unavailable',
      `Guardrail "${g.ir.name}" could not check the ${stage} (${category}) and its onError is deny; try again shortly.`,
    );
  }
}

export function blocked(guardrail: string, stage: Stage, categories: readonly string[]): GatewayError {
  const what = stage === 'request' ? 'The request was' : 'The answer was';
  return new GatewayError(
    400,
    'invalid_request_error',
    'guardrail_blocked',
    `${what} blocked by guardrail "${guardrail}" (${categories.join(', ')}).`,
  );
}
