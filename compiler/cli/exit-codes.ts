/** 0: clean or warnings only. 1: errors found in the user's config. 2: usage or internal error. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** Thrown for a wrong invocation (bad flag value, missing directory); printed without a stack, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
