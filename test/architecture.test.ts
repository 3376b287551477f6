// The layering rules of .dependency-cruiser.cjs catch what they promise: a tree with one bad import of each
// kind is cruised with the project's own config, and each is reported under its rule (the repo itself is
// checked by `npm run lint:deps` in CI).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mg-layers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tree(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

function violations(): string[] {
  let out: string;
  try {
    out = execFileSync(
      join(ROOT, 'node_modules/.bin/depcruise'),
      ['--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json', 'kernel', 'compiler', 'gateway', 'targets', 'cli'],
      { cwd: dir, encoding: 'utf8' },
    );
  } catch (error) {
    out = (error as { stdout: string }).stdout; // exits non-zero when it finds violations
  }
  const result = JSON.parse(out) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
  return result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

describe('the layering rules', () => {
  it('report each kind of bad import and accept the allowed ones', () => {
    tree({
      'tsconfig.json': JSON.stringify({
        compilerOptions: { allowImportingTsExtensions: true, module: 'NodeNext', moduleResolution: 'NodeNext' },
      }),
      'kernel/words.ts': "import { main } from '../cli/main.ts';\nexport const words = main;\n",
      'compiler/load/read.ts': "import { words } from '../../kernel/words.ts';\nexport const read = words;\n",
      'compiler/ir/types.ts': 'export interface IR { name: string }\n',
      'gateway/handler.ts':
        "import { read } from '../compiler/load/read.ts';\nimport type { IR } from '../compiler/ir/types.ts';\nexport const handler = (ir: IR) => read + ir.name;\n",
      'targets/node.ts':
        "import { read } from '../compiler/load/read.ts';\nimport type { IR } from '../compiler/ir/types.ts';\nexport const node = (ir: IR) => read + ir.name;\n",
      'cli/main.ts':
        "import { fake } from '../test/support/fake.ts';\nimport { node } from '../targets/node.ts';\nexport const main = fake + String(node);\n",
      'test/support/fake.ts': "export const fake = 'fake';\n",
      'cli/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'cli/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
    });
    expect(violations()).toEqual([
      'gateway-self-contained: gateway/handler.ts -> compiler/load/read.ts',
      'layer-kernel: kernel/words.ts -> cli/main.ts',
      'no-circular: cli/a.ts -> cli/b.ts',
      'no-circular: cli/main.ts -> targets/node.ts', // the cycle through kernel/words.ts, reported once
      'no-test-support-in-production: cli/main.ts -> test/support/fake.ts',
      'targets-read-only-the-ir: targets/node.ts -> compiler/load/read.ts',
    ]);
  });
});
