// The Guardrail schema's one checker per guardrail: what a guardrail with none, or with two, is told.
import { describe, expect, it } from 'vitest';
import { doc, resourcesFrom } from '../../test/support/policy-resources.ts';
import { createSchemaValidator } from './schema-validator.ts';

const validate = createSchemaValidator();
const problems = (check: string) =>
  resourcesFrom(doc('Guardrail', 'g', `check: ${check}`))
    .flatMap(validate)
    .map((d) => `${d.message}${d.hint ? ` (${d.hint})` : ''}`);

const CHECKERS = '`pii`, `secrets`, `deniedTopics`, `maxSize`, `moderation`, `presidio`, `webhook`';

describe('Guardrail schema', () => {
  it('accepts one checker', () => {
    expect(problems('{secrets: {}}')).toEqual([]);
  });

  it('names the checkers to choose from when there is none', () => {
    expect(problems('{}')).toEqual([`\`spec.check\` must have exactly one of ${CHECKERS}. (Add one.)`]);
  });

  it('names the two given, and how an environment patch swapping the checker removes the base one', () => {
    expect(problems('{pii: {detectors: [email]}, presidio: {analyzerUrl: "http://localhost:5002/analyze"}}')).toEqual([
      `\`spec.check\` must have exactly one of ${CHECKERS}; it has \`pii\` and \`presidio\`. (Keep one. An Environment patch that changes the checker removes the base's with \`pii: null\` (or \`presidio: null\`).)`,
    ]);
  });
});
