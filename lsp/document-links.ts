// Links on `# yaml-language-server: $schema=...` comments: modelgate's published schema URLs open the schema
// shipped with the installed package (the one the compiler checks against), relative paths the file they name.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DocumentLink } from 'vscode-languageserver';
import { SCHEMA_BASE_URL } from '../schema/kinds.ts';
import { PACKAGE_ROOT } from '../schema/package-root.ts';

const SCHEMA_COMMENT = /^(\s*#\s*yaml-language-server:\s*\$schema=)(\S+)/;

export function schemaLinks(uri: string, text: string): DocumentLink[] {
  return text.split('\n').flatMap((line, i) => {
    const match = SCHEMA_COMMENT.exec(line);
    if (!match) return [];
    const target = linkTarget(uri, match[2]!);
    if (!target) return [];
    const start = match[1]!.length;
    return [{ range: { start: { line: i, character: start }, end: { line: i, character: start + match[2]!.length } }, target }];
  });
}

function linkTarget(uri: string, ref: string): string | undefined {
  if (ref.startsWith(SCHEMA_BASE_URL)) {
    const local = join(PACKAGE_ROOT, 'schema', ref.slice(SCHEMA_BASE_URL.length));
    return existsSync(local) ? pathToFileURL(local).href : ref;
  }
  if (/^[a-z]+:\/\//i.test(ref)) return ref;
  if (!uri.startsWith('file:')) return undefined;
  return pathToFileURL(resolve(dirname(fileURLToPath(uri)), ref)).href;
}
