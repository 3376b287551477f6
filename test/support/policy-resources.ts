// Test helpers: resources from YAML text, and the YAML documents of the resources tests use most.
import { loadSources } from '../../compiler/load/load-project.ts';
import type { AnyResource } from '../../kernel/resource.ts';

/** Resources from YAML documents (one string per file); fails the test on a loader error. */
export function resourcesFrom(...files: string[]): AnyResource[] {
  const { resources, diagnostics } = loadSources(files.map((text, i) => ({ path: `file${i}.yaml`, text })));
  if (diagnostics.length) throw new Error(`test YAML does not load: ${diagnostics.map((d) => d.message).join('; ')}`);
  return resources;
}

/** Builds one resource document: `doc('Route', 'chat', 'targets: [...]')` with owner/team labels unless given. */
export function doc(kind: string, name: string, spec: string, metadata = 'labels: {owner: ana, team: platform}'): string {
  const indented = spec
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  return `---\napiVersion: modelgate.dev/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  ${metadata}\nspec:\n${indented}\n`;
}

/** An McpServer document (`tools` pinned when given as `name: risk` pairs) and an AccessPolicy granting MCP tools. */
export function mcpServer(name: string, spec = '', tools: Record<string, string> = {}): string {
  const pinned = Object.entries(tools).map(([tool, risk]) => `  - { name: ${tool}, risk: ${risk} }`);
  return doc(
    'McpServer',
    name,
    `url: https://${name}.example/mcp\ntimeout: 30s\n${spec}${pinned.length ? `\ntools:\n${pinned.join('\n')}` : ''}`,
  );
}

export function mcpPolicy(name: string, grants: string): string {
  return doc(
    'AccessPolicy',
    name,
    `subjects: { consumers: [app] }\nmcp:\n  servers:\n${grants
      .trim()
      .split('\n')
      .map((g) => `    - ${g}`)
      .join('\n')}`,
  );
}
