// The compiler's floor: read every YAML file, parse it with `yaml`, validate each document once with ajv
// against its kind's schema. Nothing else — no positions, references, rules or policies. Any `modelgate`
// command must parse and validate too, so its time over this one is what its own work costs.
// Usage: node --import tsx bench/floor.ts DIR   (exit 1 when a document is invalid)
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { checkDocument, compileValidators } from './lib/validators.ts';

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/.test(entry.name)) out.push(path);
  }
  return out;
}

const root = process.argv[2];
if (!root) {
  process.stderr.write('usage: node --import tsx bench/floor.ts DIR\n');
  process.exit(2);
}
const validators = compileValidators();
const files = yamlFiles(root);
let documents = 0;
let invalid = 0;
for (const file of files) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    documents++;
    const error = doc.errors.length > 0 ? doc.errors[0].message : checkDocument(validators, doc.toJS());
    if (error && invalid++ < 5) process.stderr.write(`${file}: ${error}\n`);
  }
}
process.stdout.write(`${files.length} files, ${documents} documents, ${invalid} invalid\n`);
process.exitCode = invalid > 0 ? 1 : 0;
