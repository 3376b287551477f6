// Test helpers: resources from YAML text, and one rule's findings in a readable shape.
import { formatPath } from '../../kernel/paths.ts';
import { loadSources } from '../../compiler/load/load-project.ts';
import type { AnyResource } from '../../kernel/resource.ts';
import { createRuleContext } from '../../policies/context.ts';
import type { Rule, Tier } from '../../policies/rule.ts';

/** Resources from YAML documents (one string per file); fails the test on a loader error. */
export function resourcesFrom(...files: string[]): AnyResource[] {
  const { resources, diagnostics } = loadSources(files.map((text, i) => ({ path: `file${i}.yaml`, text })));
  if (diagnostics.length) throw new Error(`test YAML does not load: ${diagnostics.map((d) => d.message).join('; ')}`);
  return resources;
}

export interface ShownFinding {
  resource: string;
  /** Dotted path of the failing node. */
  at: string;
  line: number;
  message: string;
}

export function findings(rule: Rule, yaml: string, tier: Tier = 'development'): ShownFinding[] {
  return findingsAcross(rule, [yaml], tier).map(({ file: _, ...shown }) => shown);
}

/** Findings over several files (`file0.yaml`, `file1.yaml`, ...), each with the file it points into. */
export function findingsAcross(rule: Rule, files: string[], tier: Tier = 'development'): (ShownFinding & { file: string })[] {
  const ctx = createRuleContext(resourcesFrom(...files), { name: tier === 'production' ? 'prod' : 'dev', tier });
  return [...rule.check(ctx)].map((f) => {
    const { file, line } = f.resource.locate(f.path);
    return { resource: f.resource.id, at: formatPath(f.path), file, line, message: f.message };
  });
}

/** Builds one resource document: `doc('Route', 'chat', 'targets: [...]')` with owner/team labels unless given. */
export function doc(kind: string, name: string, spec: string, metadata = 'labels: {owner: ana, team: platform}'): string {
  const indented = spec.trim().split('\n').map((l) => `  ${l}`).join('\n');
  return `---\napiVersion: modelgate.dev/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  ${metadata}\nspec:\n${indented}\n`;
}

/** An McpServer document (`tools` pinned when given as `name: risk` pairs) and an AccessPolicy granting MCP tools. */
export function mcpServer(name: string, spec = '', tools: Record<string, string> = {}): string {
  const pinned = Object.entries(tools).map(([tool, risk]) => `  - { name: ${tool}, risk: ${risk} }`);
  return doc('McpServer', name, `url: https://${name}.example/mcp\ntimeout: 30s\n${spec}${pinned.length ? `\ntools:\n${pinned.join('\n')}` : ''}`);
}

export function mcpPolicy(name: string, grants: string): string {
  return doc('AccessPolicy', name, `subjects: { consumers: [app] }\nmcp:\n  servers:\n${grants.trim().split('\n').map((g) => `    - ${g}`).join('\n')}`);
}
