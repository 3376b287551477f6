// The Grafana dashboard and the PrometheusRule as files of the k8s target: listed in the kustomization, labelled
// for the Grafana sidecar and the operator's selectors, every panel's PromQL accepted by promtool.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import { stableJson, toYaml } from '../emit.ts';
import { acmeIR } from '../../test/support/acme.ts';
import { PROMTOOL_MISSING, promtool, promtoolAvailable } from '../../test/support/prometheus.ts';
import { DASHBOARD_KEY } from './dashboard.ts';
import { createK8sTarget } from './index.ts';

/** The k8s target only mounts the node target's files. */
const k8s = createK8sTarget({
  name: 'node',
  description: 'test double',
  build: (ir: IR) => ({ files: { 'config.json': stableJson(ir), 'gateway.mjs': '\n' }, findings: [] }),
});

type Json = Record<string, any>;
const dashboardOf = (files: Record<string, string>): Json => JSON.parse(parse(files['dashboard.yaml']!).data[DASHBOARD_KEY]);

describe('monitoring files of the k8s target', () => {
  it('lists the rule and the dashboard in the kustomization, labelled for their selectors', async () => {
    const ir = acmeIR('prod');
    ir.gateway.alerts.resourceLabels = { release: 'kube-prometheus-stack' };
    const { files, findings } = await k8s.build(ir);
    expect(findings).toEqual([]);
    expect(parse(files['kustomization.yaml']!).resources).toEqual(expect.arrayContaining(['prometheusrule.yaml', 'dashboard.yaml']));
    const rule = parse(files['prometheusrule.yaml']!);
    expect(rule.metadata).toMatchObject({ namespace: 'ai-gateway', labels: { release: 'kube-prometheus-stack' } });
    const dashboard = parse(files['dashboard.yaml']!);
    expect(dashboard.metadata.labels).toMatchObject({ grafana_dashboard: '1', release: 'kube-prometheus-stack' });
    const json = dashboardOf(files);
    expect(json.title).toBe('modelgate acme-gateway (prod)');
    expect(json.panels.map((p: Json) => p.title)).toEqual(
      expect.arrayContaining([
        'Requests by route',
        'Monthly budget: projected share per consumer',
        'Circuits (0 closed, 1 open, 2 half-open)',
      ]),
    );
    // Panels do not overlap: two per row.
    const places = json.panels.map((p: Json) => `${p.gridPos.x},${p.gridPos.y}`);
    expect(new Set(places).size).toBe(places.length);
  });

  it('writes neither with alerts and dashboard off, nor without metrics (and says why)', async () => {
    const off = acmeIR('prod');
    Object.assign(off.gateway.alerts, { enabled: false, dashboard: false });
    const quiet = (await k8s.build(off)).files;
    expect([quiet['prometheusrule.yaml'], quiet['dashboard.yaml']]).toEqual([undefined, undefined]);
    expect(parse(quiet['kustomization.yaml']!).resources).not.toContain('dashboard.yaml');
    const blind = acmeIR('prod');
    blind.gateway.metrics.enabled = false;
    const { files, findings } = await k8s.build(blind);
    expect([files['prometheusrule.yaml'], files['dashboard.yaml']]).toEqual([undefined, undefined]);
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', path: ['spec', 'alerts'] })]);
  });

  it.skipIf(!promtoolAvailable)(
    `every panel's query is valid PromQL${promtoolAvailable ? '' : ` (skipped: ${PROMTOOL_MISSING})`}`,
    async () => {
      const json = dashboardOf((await k8s.build(acmeIR('prod'))).files);
      const exprs: string[] = json.panels.flatMap((p: Json) => p.targets.map((t: Json) => t.expr));
      expect(exprs.length).toBeGreaterThan(10);
      // As recording rules, which promtool parses and type-checks.
      const rules = toYaml({ groups: [{ name: 'panels', rules: exprs.map((expr, i) => ({ record: `panel:query${i}`, expr })) }] });
      const check = promtool(['check', 'rules', 'panels.yaml'], { 'panels.yaml': rules });
      expect(check.output).toContain('SUCCESS');
    },
  );
});
