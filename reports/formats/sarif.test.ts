import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { CORE_RULES, type RuleInfo } from '../../kernel/rule-registry.ts';
import { formatReport } from './index.ts';
import { SAMPLE, SAMPLE_FILES } from '../../test/support/sample-diagnostics.ts';

// Both packages are CommonJS; under NodeNext their default export is the module object.
const Ajv04 = Ajv04Module as unknown as typeof Ajv04Module.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const schemaPath = resolve(repoRoot, '../shared/schemas/sarif-2.1.0/sarif-schema-2.1.0.json');
const hasSchema = existsSync(schemaPath);
if (!hasSchema) console.warn(`Skipping SARIF schema validation: ${schemaPath} is absent (it ships beside the repo, not in it).`);

const rules: RuleInfo[] = [
  {
    id: 'route-fallbacks',
    title: 'Every route names at least one fallback.',
    help: 'Add a fallback on another provider.',
    defaultSeverity: 'warning',
  },
];
const log = JSON.parse(formatReport('sarif', SAMPLE, { filesChecked: SAMPLE_FILES, rules }));
const results = log.runs[0].results as Record<string, any>[];

describe('sarif report', () => {
  it.skipIf(!hasSchema)('is valid against the official SARIF 2.1.0 schema', () => {
    const ajv = new Ajv04({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    expect(validate(log), ajv.errorsText(validate.errors)).toBe(true);
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
  });

  it('lists the given rules, every core rule and any other rule a finding names, sorted', () => {
    const driverRules = log.runs[0].tool.driver.rules as Record<string, any>[];
    const ids = [...Object.keys(CORE_RULES), 'model-deprecated', 'prompt-owner', 'route-fallbacks'].sort();
    expect(driverRules.map((r) => r.id)).toEqual(ids);
    expect(driverRules.find((r) => r.id === 'route-fallbacks')).toEqual({
      id: 'route-fallbacks',
      shortDescription: { text: 'Every route names at least one fallback.' },
      fullDescription: { text: 'Add a fallback on another provider.' },
      defaultConfiguration: { level: 'warning' },
    });
    expect(driverRules.find((r) => r.id === 'schema')).toMatchObject({
      shortDescription: { text: expect.stringMatching(/JSON Schema/) },
      defaultConfiguration: { level: 'error' },
    });
    expect(driverRules.find((r) => r.id === 'prompt-owner')!.shortDescription.text).toBe('Finding of rule prompt-owner.');
    for (const r of results) expect(driverRules[r.ruleIndex].id).toBe(r.ruleId);
  });

  it('maps each finding to a level, a relative location and a fingerprint', () => {
    const schema = results.find((r) => r.ruleId === 'schema')!;
    expect(schema.level).toBe('error');
    expect(schema.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'routes/chat.yaml' },
      region: { startLine: 10, startColumn: 3, endLine: 10, endColumn: 8 },
    });
    expect(results.find((r) => r.ruleId === 'model-deprecated')!.level).toBe('note');
    const prints = results.map((r) => r.partialFingerprints['modelgate/v1']);
    expect(new Set(prints).size).toBe(results.length);
  });

  it('keeps suppressed findings, with the waiver as an accepted suppression', () => {
    const waived = results.find((r) => r.ruleId === 'prompt-owner')!;
    expect(waived.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'Owner is being hired, until March.',
        properties: { exception: 'PolicyException/support-owner', owner: 'li.wei' },
      },
    ]);
    expect(results.filter((r) => r.suppressions)).toHaveLength(1);
  });

  it('prefixes paths so that they are relative to the repository', () => {
    const prefixed = JSON.parse(formatReport('sarif', SAMPLE, { pathPrefix: 'config' }));
    expect(prefixed.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('config/access/payments.yaml');
  });
});
