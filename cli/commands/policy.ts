// `modelgate policy test [dir]`: runs the test cases kept in Policy documents (`spec.tests`).
import type { Command } from 'commander';
import { hasErrors } from '../../kernel/diagnostics.ts';
import { loadProject } from '../../compiler/load/load-project.ts';
import { emitReport } from '../../reports/formats/index.ts';
import { createSchemaValidator } from '../../compiler/validate/schema-validator.ts';
import { formatPolicyTests, summarizeTests, type PolicyTestFormat } from '../../reports/formats/policy-test-report.ts';
import { runPolicyTests } from '../../policies/policy-tests.ts';
import { formatOption, setExitCode } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK } from '../exit-codes.ts';
import { addProjectOptions, checkedRoot } from '../project-options.ts';

export function register(program: Command): void {
  const policy = program.command('policy').description('organisation policies as code');
  addProjectOptions(
    policy
      .command('test')
      .description('run the test cases of every Policy and of every Guardrail with a built-in checker (spec.tests), pass/fail per case')
      .addOption(formatOption(['text', 'json', 'junit']))
      .addHelpText(
        'after',
        `
Each case of a Policy is a resource and the verdict expected of the policy: pass (no violation), fail (a
violation) or skip (not selected), optionally in a named environment. Each case of a Guardrail is a text and
the verdict expected of its checker: allow, or the guardrail's action (block, mask with the masked output, flag).

Examples:
  $ modelgate policy test fixtures/acme
  $ modelgate policy test . --format junit > policy-tests.xml

Exit codes: 0 every case passed, 1 a case failed or a file could not be read, 2 usage or internal error.`,
      ),
  ).action((dir: string, opts: { format: PolicyTestFormat; maxFileBytes: number }, command: Command) => {
    const project = loadProject(checkedRoot(dir), { maxFileBytes: opts.maxFileBytes });
    const validate = createSchemaValidator();
    const policies = project.resources.filter((r) => r.kind === 'Policy' || r.kind === 'Guardrail');
    const problems = [...project.diagnostics, ...policies.flatMap(validate)];
    const valid = policies.filter((p) => !problems.some((d) => d.resource === p.id));
    if (problems.length) emitReport(problems, { root: dir, format: 'text', stream: process.stderr });
    const results = runPolicyTests(valid, validate);
    process.stdout.write(formatPolicyTests(results, opts.format, dir));
    setExitCode(command, summarizeTests(results).failed || hasErrors(problems) ? EXIT_FINDINGS : EXIT_OK);
  });
}
