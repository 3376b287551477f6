import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRulesConfig } from './load-rules-config.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'modelgate-rules-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('loadRulesConfig', () => {
  it('is empty without a config file', () => {
    expect(loadRulesConfig(repo({}))).toEqual({ config: { settings: [] }, diagnostics: [] });
  });

  it('reads extended files first, then own rules, then environment rules, with their positions', () => {
    const root = repo({
      'modelgate.config.yaml':
        'extends: [./shared/platform.yaml]\nrules:\n  required-labels: error\nenvironments:\n  prod:\n    rules: {access-policy-has-rate-limit: error}\n',
      'shared/platform.yaml': 'rules:\n  required-labels: info\n  no-unused-prompts: off\n',
    });
    const { config, diagnostics } = loadRulesConfig(root);
    expect(diagnostics).toEqual([]);
    expect(config.settings.map((s) => [s.rule, s.level, s.environment, `${s.location.file}:${s.location.line}`])).toEqual([
      ['required-labels', 'info', undefined, 'shared/platform.yaml:2'],
      ['no-unused-prompts', 'off', undefined, 'shared/platform.yaml:3'],
      ['required-labels', 'error', undefined, 'modelgate.config.yaml:3'],
      ['access-policy-has-rate-limit', 'error', 'prod', 'modelgate.config.yaml:6'],
    ]);
  });

  it('refuses extends outside the root, missing files and cycles', () => {
    const outside = repo({ 'rules.yaml': 'rules: {required-labels: off}\n' });
    const root = repo({
      'modelgate.config.yaml': `extends:\n  - ../escape.yaml\n  - /etc/passwd\n  - ./missing.yaml\n  - ./a.yaml\n  - ./linked.yaml\n`,
      'a.yaml': 'extends: [./modelgate.config.yaml]\n',
    });
    symlinkSync(join(outside, 'rules.yaml'), join(root, 'linked.yaml'));
    const { config, diagnostics } = loadRulesConfig(root);
    expect(config.settings).toEqual([]);
    expect(diagnostics.map((d) => [d.file, d.line, d.message.replace(/ \(.*| through.*|;.*/, '')])).toEqual([
      ['modelgate.config.yaml', 2, '`../escape.yaml` is outside the config root'],
      ['modelgate.config.yaml', 3, '`/etc/passwd` is outside the config root'],
      ['modelgate.config.yaml', 4, '`./missing.yaml` does not exist'],
      ['a.yaml', 1, '`./modelgate.config.yaml` extends itself'],
      ['modelgate.config.yaml', 6, '`./linked.yaml` links to a file outside the config root.'],
    ]);
  });

  it('reports bad levels with a suggestion and unknown keys', () => {
    const { diagnostics } = loadRulesConfig(repo({ 'modelgate.config.yaml': 'rule: {}\nrules:\n  required-labels: warn\n' }));
    expect(diagnostics.map((d) => [d.severity, d.line, d.message])).toEqual([
      ['warning', 1, 'Unknown key `rule` in modelgate.config.yaml; it is ignored. Did you mean "rules"?'],
      ['error', 3, 'The level of "required-labels" must be one of error, warning, info, off. Did you mean "warning"?'],
    ]);
  });
});
