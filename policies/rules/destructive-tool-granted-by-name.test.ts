import { describe, expect, it } from 'vitest';
import { findings, mcpPolicy, mcpServer } from '../../test/support/policy-resources.ts';
import { destructiveToolGrantedByName } from './destructive-tool-granted-by-name.ts';

const github = mcpServer('github', '', { get_issue: 'read', delete_issue: 'destructive', delete_repo: 'destructive' });

describe('destructive-tool-granted-by-name', () => {
  it('accepts a destructive tool granted by name, or withheld from a glob', () => {
    expect(findings(destructiveToolGrantedByName, github + mcpPolicy('p', '{ name: github, tools: ["get_*", delete_issue] }'))).toEqual([]);
    expect(findings(destructiveToolGrantedByName, github + mcpPolicy('p', '{ name: github, tools: ["*"], excludeTools: ["delete_*"] }'))).toEqual([]);
  });

  it('flags each destructive tool a glob grants, at the glob', () => {
    const found = findings(destructiveToolGrantedByName, github + mcpPolicy('p', '{ name: "git*", tools: [get_issue, "*"], excludeTools: [delete_repo] }'));
    expect(found.map((f) => [f.at, f.message])).toEqual([['spec.mcp.servers[0].tools[1]', 'The glob `*` of access policy p grants the destructive tool github/delete_issue.']]);
  });
});
