// The acme fixture compiled through the real pipeline, for tests of every target.
import { fileURLToPath } from 'node:url';
import type { IR } from '../../compiler/ir/types.ts';
import { compileProject } from '../../pipeline/compile.ts';

const ACME = fileURLToPath(new URL('../../fixtures/acme/', import.meta.url));

/** Compiled once per environment and test worker: tests of what is built from the IR need not pay for it again. */
const compiled = new Map<string, IR>();

/** The IR of one acme environment, a copy the caller may change; throws with the findings when it does not compile. */
export function acmeIR(env: string): IR {
  let ir = compiled.get(env);
  if (!ir) {
    const result = compileProject(ACME, { env });
    if (!result.ir)
      throw new Error(
        `fixtures/acme (${env}) does not compile:\n${result.diagnostics.map((d) => `${d.file}:${d.line} ${d.message}`).join('\n')}`,
      );
    ir = result.ir;
    compiled.set(env, ir);
  }
  return structuredClone(ir);
}
