// The CODEOWNERS file of the repository a config root is in: where GitLab reads it, the section the config's
// ownership labels give, written by `modelgate owners` and checked by `validate` (`codeowners-stale`).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import type { AnyResource } from '../../kernel/resource.ts';
import { repositoryPrefix, repositoryRoot } from '../../reports/formats/repository-root.ts';
import { findSection, renderSection, withSection, type OwnedFile, type SectionOptions } from './codeowners.ts';
import { ownersOf, type Owners } from './required.ts';

/** Where GitLab looks, in its order; a new file goes in the first. */
const LOCATIONS = ['CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'];

export const STALE_RULE = 'codeowners-stale' as const;

export function codeownersFile(root: string): string {
  const repository = repositoryRoot(root) ?? root;
  const found = LOCATIONS.map((l) => join(repository, l)).find((path) => existsSync(path));
  return found ?? join(repository, LOCATIONS[0]!);
}

/** Every config file with the owners of the resources it declares, by its path from the repository root. */
export function ownedFiles(root: string, resources: readonly AnyResource[]): OwnedFile[] {
  const prefix = repositoryPrefix(root);
  const byFile = new Map<string, Owners[]>();
  for (const r of resources) {
    const owners = ownersOf(r);
    if (owners) byFile.set(r.file, [...(byFile.get(r.file) ?? []), owners]);
  }
  return [...byFile.entries()].map(([file, owners]) => ({ path: posix.join(prefix, file), owners }));
}

/** Writes (or rewrites) the modelgate section; returns the file and whether its content changed. */
export function writeCodeowners(
  root: string,
  resources: readonly AnyResource[],
  options: SectionOptions,
): { file: string; changed: boolean } {
  const file = codeownersFile(root);
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const after = withSection(before, renderSection(ownedFiles(root, resources), options));
  if (after !== before) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, after);
  }
  return { file, changed: after !== before };
}

/** A finding when CODEOWNERS has a modelgate section that the labels no longer give; none without a section. */
export function codeownersFindings(root: string, resources: readonly AnyResource[]): Diagnostic[] {
  const file = codeownersFile(root);
  if (!existsSync(file)) return [];
  const found = findSection(readFileSync(file, 'utf8'));
  if (!found) return [];
  const expected = renderSection(ownedFiles(root, resources), found.options);
  if (expected === found.text) return [];
  const have = new Set(found.text.split('\n'));
  const want = new Set(expected.split('\n'));
  const missing = [...want].filter((l) => !have.has(l));
  const extra = [...have].filter((l) => !want.has(l));
  const example = missing[0] ?? extra[0]!;
  const line = found.start + 1;
  return [
    {
      ruleId: STALE_RULE,
      severity: 'error',
      message: `The modelgate section of CODEOWNERS is not what the ownership labels say: ${missing.length} line${missing.length === 1 ? '' : 's'} missing, ${extra.length} no longer right (for example \`${example}\`).`,
      hint: 'Run `modelgate owners` and commit CODEOWNERS, so that GitLab asks the right owners for approval.',
      file: relative(root, file).split(sep).join('/'),
      line,
      column: 1,
      endLine: line,
      endColumn: 1,
    },
  ];
}
