// The acme fixture compiled through the real pipeline, for tests of every target.
import { fileURLToPath } from 'node:url';
import type { IR } from '../../compiler/ir/types.ts';
import { compileProject } from '../../pipeline/compile.ts';

const ACME = fileURLToPath(new URL('../../fixtures/acme/', import.meta.url));

/** The IR of one acme environment; throws with the findings when it does not compile. */
export function acmeIR(env: string): IR {
  const result = compileProject(ACME, { env });
  if (!result.ir) throw new Error(`fixtures/acme (${env}) does not compile:\n${result.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`).join('\n')}`);
  return result.ir;
}
