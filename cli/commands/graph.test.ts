import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runMain } from '../../test/support/run-main.ts';

const acme = new URL('../../fixtures/acme', import.meta.url).pathname;

describe('modelgate graph', () => {
  it('prints the Mermaid flowchart of an environment, marking waived resources', async () => {
    const { code, stdout } = await runMain('graph', acme, '--env', 'prod');
    expect(code).toBe(0);
    expect(stdout.startsWith('flowchart LR\n')).toBe(true);
    expect(stdout).toContain('subgraph team_payments ["team: payments"]');
    expect(stdout).toContain('Route_chat_eu["chat-eu<br/>waived: prod-route-has-cross-provider-fallback"]');
    expect(stdout).toMatch(/class [\w,]*Route_chat_eu[\w,]* waived/);
  });

  it('focuses on one resource and writes DOT and JSON', async () => {
    const json = JSON.parse(
      (await runMain('graph', acme, '--env', 'prod', '--focus', 'Consumer/search-indexer', '--format', 'json')).stdout,
    );
    expect(json.nodes.map((n: { key: string }) => n.key)).toContain('Route/embeddings');
    expect(json.nodes.map((n: { key: string }) => n.key)).not.toContain('Route/chat-premium');
    const { code, stdout } = await runMain('graph', acme, '--env', 'prod', '--format', 'dot');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^digraph modelgate \{/);
  });

  it.skipIf(spawnSync('dot', ['-V']).error)('writes DOT that Graphviz renders (skipped without graphviz)', async () => {
    const { stdout } = await runMain('graph', acme, '--env', 'prod', '--format', 'dot');
    expect(execFileSync('dot', ['-Tsvg'], { input: stdout, encoding: 'utf8' })).toContain('<svg');
  });

  it('exits 2 with a suggestion for an unknown focus, a bad limit or a missing environment flag', async () => {
    const focus = await runMain('graph', acme, '--env', 'prod', '--focus', 'route/chat-defualt');
    expect(focus.code).toBe(2);
    expect(focus.stderr).toContain('Did you mean "Route/chat-default"?');
    expect((await runMain('graph', acme, '--env', 'prod', '--max-nodes', '0')).code).toBe(2);
    expect((await runMain('graph', acme)).code).toBe(2);
  });
});
