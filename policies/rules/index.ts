// Every built-in rule, in the order of the generated reference.
import type { Rule } from '../rule.ts';
import { accessPolicyHasRateLimit } from './access-policy-has-rate-limit.ts';
import { deprecatedModel } from './deprecated-model.ts';
import { guardrailActionSupported } from './guardrail-action-supported.ts';
import { guardrailTestsPass } from './guardrail-tests-pass.ts';
import { destructiveToolGrantedByName } from './destructive-tool-granted-by-name.ts';
import { lowestCostTargetsPriced } from './lowest-cost-targets-priced.ts';
import { modelPricesKnown } from './model-prices-known.ts';
import { noLiteralCredentials } from './no-literal-credentials.ts';
import { noUnusedConsumers } from './no-unused-consumers.ts';
import { noUnusedMcpServers } from './no-unused-mcp-servers.ts';
import { noUnusedPrompts } from './no-unused-prompts.ts';
import { noUnusedProviders } from './no-unused-providers.ts';
import { noWildcardGrantInProd } from './no-wildcard-grant-in-prod.ts';
import { noWildcardToolGrantInProd } from './no-wildcard-tool-grant-in-prod.ts';
import { prodAccessPolicyHasPiiGuardrail } from './prod-access-policy-has-pii-guardrail.ts';
import { prodConsumerHasBudget } from './prod-consumer-has-budget.ts';
import { prodGuardrailFailsClosed } from './prod-guardrail-fails-closed.ts';
import { prodGuardrailHttps } from './prod-guardrail-https.ts';
import { prodLimitStoreOnUnavailable } from './prod-limit-store-on-unavailable.ts';
import { prodMcpSessionKey } from './prod-mcp-session-key.ts';
import { secretReferencesDistinct } from './secret-references-distinct.ts';
import { prodMcpServerHttps } from './prod-mcp-server-https.ts';
import { prodOtlpHttps } from './prod-otlp-https.ts';
import { alertBudgetWindowBounded } from './alert-budget-window-bounded.ts';
import { prodNoPromptLogging } from './prod-no-prompt-logging.ts';
import { prodRouteHasCrossProviderFallback } from './prod-route-has-cross-provider-fallback.ts';
import { prodSharedLimitStore } from './prod-shared-limit-store.ts';
import { promptExposeHasResponseSchema } from './prompt-expose-has-response-schema.ts';
import { promptExposePathFree } from './prompt-expose-path-free.ts';
import { promptServeWeightsSum100 } from './prompt-serve-weights-sum-100.ts';
import { promptTemplateCompiles } from './prompt-template-compiles.ts';
import { promptTestsMatchContract } from './prompt-tests-match-contract.ts';
import { promptVariablesDeclared } from './prompt-variables-declared.ts';
import { promptVariablesUsed } from './prompt-variables-used.ts';
import { providerCredentialIsReference } from './provider-credential-is-reference.ts';
import { redactionRegexSafe } from './redaction-regex-safe.ts';
import { requiredLabels } from './required-labels.ts';
import { routeAliasShadowsRoute } from './route-alias-shadows-route.ts';
import { routeAliasesUnique } from './route-aliases-unique.ts';
import { routeWeightsSum100 } from './route-weights-sum-100.ts';
import { timeoutsBounded } from './timeouts-bounded.ts';

export const BUILTIN_RULES: readonly Rule[] = [
  noLiteralCredentials,
  providerCredentialIsReference,
  prodRouteHasCrossProviderFallback,
  timeoutsBounded,
  routeWeightsSum100,
  routeAliasesUnique,
  routeAliasShadowsRoute,
  promptServeWeightsSum100,
  noUnusedProviders,
  noUnusedPrompts,
  noUnusedConsumers,
  promptTemplateCompiles,
  promptVariablesDeclared,
  promptVariablesUsed,
  promptExposePathFree,
  promptExposeHasResponseSchema,
  promptTestsMatchContract,
  prodConsumerHasBudget,
  accessPolicyHasRateLimit,
  noWildcardGrantInProd,
  modelPricesKnown,
  lowestCostTargetsPriced,
  requiredLabels,
  deprecatedModel,
  redactionRegexSafe,
  prodSharedLimitStore,
  prodLimitStoreOnUnavailable,
  prodMcpSessionKey,
  secretReferencesDistinct,
  prodNoPromptLogging,
  noWildcardToolGrantInProd,
  destructiveToolGrantedByName,
  noUnusedMcpServers,
  prodMcpServerHttps,
  prodOtlpHttps,
  alertBudgetWindowBounded,
  guardrailTestsPass,
  guardrailActionSupported,
  prodAccessPolicyHasPiiGuardrail,
  prodGuardrailHttps,
  prodGuardrailFailsClosed,
];
