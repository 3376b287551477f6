// The pictures must be accepted by the real tools: Mermaid (as GitLab runs it, in a browser) and Graphviz.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, type Browser } from '../../scripts/headless-chromium.ts';
import { smallIR, testConsumer, testPolicy } from '../../test/support/ir-fixture.ts';
import { acmeIR } from '../../test/support/acme.ts';
import { buildGraph } from './build.ts';
import { changedPart, diffGraph } from './diff.ts';
import { graphFromIR } from './from-ir.ts';
import { renderDot } from './render-dot.ts';
import { escapeText, renderMermaid } from './render-mermaid.ts';

const mermaidJs = fileURLToPath(import.meta.resolve('mermaid/dist/mermaid.min.js'));
const acmeProd = () => acmeIR('prod');

/** A config with labels that would break a naive renderer: quotes, HTML, entities, keywords, markdown. */
function hostileIR() {
  const ir = smallIR();
  ir.consumers.push(testConsumer('end', { labels: { team: 'R&D "core" <b>#1</b>; `x`' } }));
  ir.consumers.push(testConsumer('graph', { labels: { team: 'émoji 🚀 team' } }));
  ir.accessPolicies.push(testPolicy('o', { consumers: ['end', 'graph'], routes: ['chat'] }));
  return ir;
}

describe('renderMermaid', () => {
  it('escapes everything but plain characters as Mermaid entities', () => {
    expect(escapeText('a "b" <c> #d; `e`')).toBe('a #34;b#34; #60;c#62; #35;d#59; #96;e#96;');
    expect(escapeText('🚀')).toBe('#128640;');
  });

  it('gives nodes ids Mermaid cannot misread and keeps them unique', () => {
    const text = renderMermaid(buildGraph(hostileIR()));
    expect(text).toContain('Consumer_end([');
    expect(text).toMatch(/subgraph team_R_D_core_b_1_b_x_ \["team: R#38;D/);
    for (const line of text.split('\n').filter((l) => l.includes('-->'))) expect(line).toMatch(/^ {2}\w+ -->(\|"[^"]*"\|)? \w+$/);
  });

  it('is byte-identical across runs', () => {
    expect(renderMermaid(buildGraph(acmeProd()))).toBe(renderMermaid(buildGraph(acmeProd())));
  });
});

describe('renderDot', () => {
  const dot = spawnSync('dot', ['-V']).error ? undefined : 'dot';
  it.skipIf(!dot)('is accepted by Graphviz dot (skipped when graphviz is not installed)', () => {
    for (const graph of [buildGraph(acmeProd()), buildGraph(hostileIR()), changedPart(graphFromIR(smallIR()), graphFromIR(hostileIR()))!]) {
      const svg = execFileSync('dot', ['-Tsvg'], { input: renderDot(graph), encoding: 'utf8' });
      expect(svg.match(/class="node"/g)?.length).toBe(graph.nodes.length + (graph.notes.length ? 1 : 0));
    }
    const svg = execFileSync('dot', ['-Tsvg'], { input: renderDot(buildGraph(hostileIR())), encoding: 'utf8' });
    expect(svg).toContain('team: R&amp;D &quot;core&quot; &lt;b&gt;#1&lt;/b&gt;; `x`');
  });
});

const missing = chromiumMissing();
describe.skipIf(missing)(`Mermaid in headless Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: mermaidJs });
    await page.evaluate(() => (globalThis as any).mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }));
  });
  afterAll(async () => browser?.close());

  let n = 0;
  /** Parses and renders like GitLab does; returns the drawn node count and text, or the parse error. */
  const render = (source: string) =>
    page.evaluate(
      async ([source, id]) => {
        const mermaid = (globalThis as any).mermaid;
        try {
          await mermaid.parse(source);
          const { svg } = await mermaid.render(id, source);
          const out = (globalThis as any).document.getElementById('out');
          out.innerHTML = svg;
          return { nodes: out.querySelectorAll('g.node').length, text: out.textContent ?? '', error: '' };
        } catch (error) {
          return { nodes: 0, text: '', error: String((error as Error)?.message ?? error) };
        }
      },
      [source, `g${n++}`] as const,
    );

  it('rejects broken Mermaid (the check can fail)', async () => {
    expect((await render('flowchart LR\n  a["x --> b')).error).toMatch(/Parse error/);
  });

  it('renders the acme prod graph with every node drawn', async () => {
    const graph = buildGraph(acmeProd());
    const result = await render(renderMermaid(graph));
    expect(result.error).toBe('');
    expect(result.nodes).toBe(graph.nodes.length);
    expect(result.text).toContain('chat-default');
    expect(result.text).toContain('team: payments');
  });

  it('renders hostile labels as their text', async () => {
    const result = await render(renderMermaid(buildGraph(hostileIR(), { waivers: [{ rule: 'r1', resources: ['Route/*'] }] })));
    expect(result.error).toBe('');
    expect(result.text).toContain('team: R&D "core" <b>#1</b>; `x`');
    expect(result.text).toContain('émoji 🚀 team');
    expect(result.text).toContain('waived: r1');
  });

  it('renders focused, collapsed and diff graphs, with their notes', async () => {
    const ir = hostileIR();
    ir.consumers.push(...Array.from({ length: 30 }, (_, i) => testConsumer(`c${i}`, { labels: { team: 'big' } })));
    ir.accessPolicies[0]!.subjects.consumers.push(...ir.consumers.slice(-30).map((c) => c.name));
    for (const graph of [buildGraph(ir, { focus: 'Route/premium' }), buildGraph(ir, { maxNodes: 12 })]) {
      const result = await render(renderMermaid(graph));
      expect(result.error).toBe('');
      expect(result.nodes).toBe(graph.nodes.length + 1);
    }
    const diff = await render(diffGraph(smallIR(), ir)!);
    expect(diff.error).toBe('');
    expect(diff.text).toContain('+ c0');
  });
});
