import { mcpPolicy, mcpServer } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { destructiveToolGrantedByName } from './destructive-tool-granted-by-name.ts';

const github = mcpServer('github', '', { get_issue: 'read', delete_issue: 'destructive', delete_repo: 'destructive' });

ruleTester.run(destructiveToolGrantedByName, {
  valid: [
    { name: 'a destructive tool granted by name', yaml: github + mcpPolicy('p', '{ name: github, tools: ["get_*", delete_issue] }') },
    {
      name: 'destructive tools withheld from a glob',
      yaml: github + mcpPolicy('p', '{ name: github, tools: ["*"], excludeTools: ["delete_*"] }'),
    },
  ],
  invalid: [
    {
      name: 'each destructive tool a glob grants, at the glob',
      yaml: github + mcpPolicy('p', '{ name: "git*", tools: [get_issue, "*"], excludeTools: [delete_repo] }'),
      errors: [
        {
          message: 'The glob `*` of access policy p grants the destructive tool github/delete_issue.',
          line: 25,
          column: 44,
          path: 'spec.mcp.servers[0].tools[1]',
        },
      ],
    },
  ],
});
