import { describe, expect, it } from 'vitest';
import { loadSources } from '../load/load-project.ts';
import { createSchemaValidator } from './schema-validator.ts';

const validate = createSchemaValidator();

function findings(aliases: string) {
  const text = `apiVersion: modelgate.dev/v1
kind: Route
metadata: { name: premium }
spec:
  aliases: ${aliases}
  targets: [{ provider: anthropic, model: claude-sonnet-4-5 }]
`;
  const loaded = loadSources([{ path: 'routes/premium.yaml', text }]);
  return [...loaded.diagnostics, ...loaded.resources.flatMap(validate)].map((d) => `${d.line}:${d.column} ${d.message} ${d.hint ?? ''}`);
}

describe('the Route schema on spec.aliases', () => {
  it('accepts exact ids and glob patterns, dated, namespaced or versioned', () => {
    expect(
      findings(
        '[claude-sonnet-4-5, claude-opus-4-1-20250805, "claude-*-4-5*", gpt-4o?, meta-llama/Llama-3.1-8B-Instruct, "us.anthropic.claude-3-7-sonnet-20250219-v1:0"]',
      ),
    ).toEqual([]);
    expect(findings('[]')).toEqual([]);
  });

  it('refuses an empty alias, whitespace, a repeated alias and a non-list, at the offending node', () => {
    expect(findings('["", gpt-5]')).toEqual([
      expect.stringMatching(/^5:13 `spec.aliases\[0\]` does not have the expected form\. .*no whitespace/),
    ]);
    expect(findings('["gpt 5"]')).toEqual([expect.stringMatching(/^5:13 .*no whitespace/)]);
    expect(findings('[gpt-5, " gpt-5"]')).toEqual([expect.stringMatching(/^5:20 /)]);
    expect(findings(`["${'x'.repeat(201)}"]`)).toEqual([expect.stringMatching(/^5:13 .*more than 200/)]);
    expect(findings('[gpt-5, gpt-5]')).toEqual([expect.stringMatching(/^5:12 .*duplicate/)]);
    expect(findings('gpt-5')).toEqual([expect.stringMatching(/^5:12 .*array/)]);
  });
});
