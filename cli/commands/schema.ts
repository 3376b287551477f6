// `modelgate schema`: publishes the JSON Schemas, for editors (yaml-language-server) and other tools.
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { COMMON_SCHEMA_FILE, KIND_SCHEMA_FILES, SCHEMA_BASE_URL, USAGE_RECORD_SCHEMA_FILE } from '../../schema/kinds.ts';
import { SCHEMA_DIR } from '../../schema/load-schemas.ts';
import { formatOption, setExitCode } from '../command.ts';
import { EXIT_OK, UsageError } from '../exit-codes.ts';

interface SchemaEntry {
  /** A resource kind, or what a non-kind schema describes. */
  describes: string;
  file: string;
  url: string;
}

export function schemaEntries(): SchemaEntry[] {
  const entry = (describes: string, file: string): SchemaEntry => ({ describes, file, url: SCHEMA_BASE_URL + file });
  return [
    ...Object.entries(KIND_SCHEMA_FILES).map(([kind, file]) => entry(kind, file)),
    entry('definitions shared by every kind', COMMON_SCHEMA_FILE),
    entry('one line of the gateway usage log', USAGE_RECORD_SCHEMA_FILE),
  ];
}

export function register(program: Command): void {
  program
    .command('schema')
    .description('write the JSON Schemas of every kind (for editors and other tools), or list them')
    .option('-o, --out <dir>', 'folder to write the schema files to (created when missing)')
    .addOption(formatOption())
    .addHelpText(
      'after',
      `
Examples:
  $ modelgate schema                   list the schemas and their URLs
  $ modelgate schema --out .schemas    write them for offline editors

Then start a YAML file with
  # yaml-language-server: $schema=${SCHEMA_BASE_URL}route.schema.json
or, offline, with a path to the written file ($schema=../.schemas/route.schema.json).`,
    )
    .action((opts: { out?: string; format: 'text' | 'json' }, command: Command) => {
      const entries = schemaEntries();
      if (opts.out) {
        if (existsSync(opts.out) && !statSync(opts.out).isDirectory()) throw new UsageError(`--out ${opts.out} is a file, not a folder.`);
        mkdirSync(opts.out, { recursive: true });
        // Byte copies: the files reference each other by relative name, so the folder stays self-contained.
        for (const e of entries) copyFileSync(join(SCHEMA_DIR, e.file), join(opts.out, e.file));
      }
      process.stdout.write(opts.format === 'json' ? `${JSON.stringify(entries, null, 2)}\n` : index(entries, opts.out));
      setExitCode(command, EXIT_OK);
    });
}

function index(entries: SchemaEntry[], out: string | undefined): string {
  const width = Math.max(...entries.map((e) => e.file.length));
  const lines = entries.map((e) => `  ${e.file.padEnd(width)}  ${e.describes}`);
  const head = out ? `Wrote ${entries.length} schemas to ${out}:` : `${entries.length} schemas, published at ${SCHEMA_BASE_URL}:`;
  const tail = out ? '' : '\nWrite them to a folder with: modelgate schema --out DIR\n';
  return `${[head, ...lines].join('\n')}\n${tail}`;
}
