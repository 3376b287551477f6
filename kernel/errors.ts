/** Thrown for a wrong invocation (bad flag value, missing directory); the CLI prints it without a stack, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
