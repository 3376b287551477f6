import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverFiles } from './discover.ts';

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'mg-discover-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('discoverFiles', () => {
  it('finds YAML files in sorted order, skipping dot-files, node_modules and the tool config', () => {
    const root = repo({
      'routes/b.yaml': '',
      'routes/a.yml': '',
      'gateway.yaml': '',
      '.gitlab-ci.yml': '',
      '.git/config.yaml': '',
      'node_modules/x/y.yaml': '',
      'modelgate.config.yaml': '',
      'notes.md': '',
    });
    expect(discoverFiles(root).files.map((f) => f.path)).toEqual(['gateway.yaml', 'routes/a.yml', 'routes/b.yaml']);
  });

  it('honours .modelgateignore: bare names at any depth, anchored paths and folders', () => {
    const root = repo({
      '.modelgateignore': '# drafts\ndraft.yaml\n/legacy/\nprompts/old-*.yaml\n',
      'draft.yaml': '',
      'routes/draft.yaml': '',
      'legacy/r.yaml': '',
      'prompts/old-1.yaml': '',
      'prompts/new.yaml': '',
    });
    expect(discoverFiles(root).files.map((f) => f.path)).toEqual(['prompts/new.yaml']);
  });

  it('refuses a link that leads outside the root and reads one that stays inside', () => {
    const outside = repo({ 'secret.yaml': 'kind: Provider' });
    const root = repo({ 'routes/r.yaml': '' });
    symlinkSync(join(outside, 'secret.yaml'), join(root, 'escape.yaml'));
    symlinkSync(join(root, 'routes/r.yaml'), join(root, 'alias.yaml'));
    const { files, diagnostics } = discoverFiles(root);
    expect(files.map((f) => f.path)).toEqual(['alias.yaml', 'routes/r.yaml']);
    expect(diagnostics.map((d) => [d.ruleId, d.file, d.line])).toEqual([['path-escapes-root', 'escape.yaml', 1]]);
  });
});
