import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import { sha256Hex, stableJson } from '../emit.ts';
import type { Target, TargetName } from '../target.ts';
import { nodeTarget } from '../node/index.ts';
import { acmeIR } from '../testing/acme.ts';
import { k8sSchemaProblems } from '../testing/k8s-schemas.ts';
import { sampleIR } from '../testing/sample-ir.ts';
import { createK8sTarget } from './index.ts';

type Json = Record<string, any>;

/** Stands in for the node target: the k8s target only mounts its files. */
const fakeNode: Target = {
  name: 'node',
  description: 'test double',
  build: (ir: IR) => ({ files: { 'config.json': stableJson(ir), 'gateway.mjs': 'console.log("gateway");\n' }, findings: [] }),
};
const k8s = createK8sTarget(fakeNode);
const ALL: TargetName[] = ['node', 'envoy', 'k8s', 'envoy-ai-gateway'];

const manifests = (files: Record<string, string>): Json[] =>
  Object.entries(files)
    .filter(([f]) => f !== 'kustomization.yaml')
    .map(([, text]) => parse(text));
const byKind = (files: Record<string, string>, kind: string, name = ''): Json =>
  manifests(files).find((m) => m.kind === kind && m.metadata.name.startsWith(name))!;

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function writeOut(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'modelgate-k8s-'));
  dirs.push(dir);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('k8s target: checked against the Kubernetes schemas', () => {
  it.each([
    ['direct mode, with Envoy', 'direct', ALL],
    ['front mode, with Envoy', 'front', ALL],
    ['gateway only', 'direct', ['node', 'k8s'] as TargetName[]],
  ] as const)('%s: every manifest is valid', async (_name, mode, targets) => {
    const ir = sampleIR();
    ir.gateway.envoy.mode = mode;
    const out = await k8s.build(ir, { targets });
    expect(manifests(out.files).flatMap((m) => k8sSchemaProblems(m as never))).toEqual([]);
    expect(out.findings).toEqual([]);
    const kinds = manifests(out.files).map((m) => m.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Namespace', 'ServiceAccount', 'ConfigMap', 'Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']));
    expect(kinds.filter((k) => k === 'Deployment')).toHaveLength(targets.includes('envoy') ? 2 : 1);
  });

  it('fails a manifest that breaks the schema', () => {
    const problems = k8sSchemaProblems({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'two', selector: {}, template: {} } } as never);
    expect(problems.join('\n')).toMatch(/replicas must be integer/);
    expect(k8sSchemaProblems({ apiVersion: 'v1', kind: 'Servce', metadata: { name: 'x' } })).toEqual(['Servce/x: no Kubernetes schema for v1 Servce']);
  });

  it.skipIf(!kubectl)(`renders with kubectl kustomize, every file listed in the kustomization${kubectl ? '' : ' (skipped: no kubectl)'}`, async () => {
    const out = await k8s.build(sampleIR(), { targets: ALL });
    const result = spawnSync('kubectl', ['kustomize', writeOut(out.files)], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const rendered = parseAllDocuments(result.stdout).map((d) => d.toJS());
    expect(rendered).toHaveLength(Object.keys(out.files).length - 1);
    expect(rendered.every((m) => m.metadata.namespace === 'ai-gateway' || m.kind === 'Namespace')).toBe(true);
  });

  it('acme prod with the real node bundle: valid, under the ConfigMap size limit, rendered by kustomize', async () => {
    const out = await createK8sTarget(nodeTarget).build(acmeIR('prod'), { targets: ALL });
    expect(out.findings).toEqual([]);
    expect(manifests(out.files).flatMap((m) => k8sSchemaProblems(m as never))).toEqual([]);
    expect(Object.keys(byKind(out.files, 'ConfigMap', 'modelgate-gateway').data)).toEqual(['config.json', 'gateway.mjs']);
    if (kubectl) expect(spawnSync('kubectl', ['kustomize', writeOut(out.files)], { encoding: 'utf8' }).status).toBe(0);
  });

  it('builds byte-identical files twice', async () => {
    expect((await k8s.build(sampleIR(), { targets: ALL })).files).toEqual((await k8s.build(sampleIR(), { targets: ALL })).files);
  });
});

describe('the gateway Deployment', () => {
  const build = async (ir = sampleIR()) => (await k8s.build(ir, { targets: ALL })).files;

  it('runs non-root on a read-only filesystem without capabilities, probed on /healthz and /readyz', async () => {
    const pod = byKind(await build(), 'Deployment', 'modelgate-gateway').spec.template.spec;
    const [container] = pod.containers;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.image).toBe('node:20-alpine');
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    // The usage log file gets a writable directory.
    expect(container.volumeMounts).toContainEqual({ name: 'usage-log', mountPath: '/var/log/modelgate' });
  });

  it('rolls the pods when the config changes: the annotation is the hash of the ConfigMap data', async () => {
    const files = await build();
    const hash = byKind(files, 'Deployment', 'modelgate-gateway').spec.template.metadata.annotations['checksum/config'];
    expect(hash).toBe(sha256Hex(stableJson(byKind(files, 'ConfigMap', 'modelgate-gateway').data)));
    const changed = sampleIR();
    changed.routes[0]!.timeoutMs = 45_000;
    expect(byKind(await build(changed), 'Deployment', 'modelgate-gateway').spec.template.metadata.annotations['checksum/config']).not.toBe(hash);
  });

  it('reads credentials only from Secrets, by the names the runtime expects', async () => {
    const pod = byKind(await build(), 'Deployment', 'modelgate-gateway').spec.template.spec;
    const env = Object.fromEntries(pod.containers[0].env.map((e: Json) => [e.name, e.valueFrom.secretKeyRef]));
    expect(env).toEqual({
      ANTHROPIC_API_KEY: { name: 'modelgate-credentials', key: 'anthropic_api_key' },
      LEGACY_JWT_SECRET: { name: 'modelgate-credentials', key: 'legacy_jwt_secret' },
      MODELGATE_SECRET_AZURE_OPENAI_API_KEY: { name: 'azure-openai', key: 'api-key' },
      OPENAI_API_KEY: { name: 'modelgate-credentials', key: 'openai_api_key' },
      REDIS_URL: { name: 'modelgate-credentials', key: 'redis_url' },
    });
    const fileVolume = pod.volumes.find((v: Json) => v.secret);
    expect(fileVolume.secret).toEqual({ secretName: 'modelgate-credentials', items: [{ key: 'api-key', path: 'api-key' }] });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: fileVolume.name, mountPath: '/run/secrets/mistral', readOnly: true });
  });

  it('leaves the replica count to the autoscaler when there is one', async () => {
    const files = await build();
    expect(byKind(files, 'Deployment', 'modelgate-gateway').spec.replicas).toBeUndefined();
    expect(byKind(files, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 3, maxReplicas: 12 });
    const fixed = sampleIR();
    fixed.gateway.kubernetes.autoscaling.enabled = false;
    const fixedFiles = await build(fixed);
    expect(byKind(fixedFiles, 'Deployment', 'modelgate-gateway').spec.replicas).toBe(3);
    expect(fixedFiles['hpa.yaml']).toBeUndefined();
  });

  it('lets the gateway reach only DNS, the providers\' ports and Redis', async () => {
    const policy = byKind(await build(), 'NetworkPolicy', 'modelgate-gateway').spec;
    expect(policy.ingress).toEqual([{ ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(policy.egress.flatMap((e: Json) => e.ports.map((p: Json) => `${p.protocol}/${p.port}`))).toEqual(['UDP/53', 'TCP/53', 'TCP/443', 'TCP/6379', 'TCP/8000']);
  });

  it('is a build error when maxReplicas is below the replica count', async () => {
    const ir = sampleIR();
    ir.gateway.kubernetes.autoscaling.maxReplicas = 2;
    const out = await k8s.build(ir);
    expect(out.findings).toEqual([expect.objectContaining({ severity: 'error', resource: 'Gateway/acme-gateway', path: ['spec', 'kubernetes', 'autoscaling', 'maxReplicas'] })]);
  });
});

describe('Envoy next to the gateways', () => {
  it('comes only with the envoy target', async () => {
    const files = (await k8s.build(sampleIR(), { targets: ['node', 'k8s'] })).files;
    expect(Object.keys(files).some((f) => f.startsWith('envoy-'))).toBe(false);
  });

  it('mounts the envoy target\'s files and one credential Secret item per provider', async () => {
    const files = (await k8s.build(sampleIR(), { targets: ALL })).files;
    const pod = byKind(files, 'Deployment', 'modelgate-envoy').spec.template.spec;
    expect(Object.keys(byKind(files, 'ConfigMap', 'modelgate-envoy').data)).toEqual(['envoy.yaml', 'sds.azure-openai-credential.yaml', 'sds.mistral-credential.yaml', 'sds.openai-credential.yaml']);
    expect(pod.volumes[0].configMap.items).toContainEqual({ key: 'sds.openai-credential.yaml', path: 'sds/openai-credential.yaml' });
    expect(pod.volumes).toContainEqual({ name: 'credential-openai', secret: { secretName: 'modelgate-envoy-credentials', items: [{ key: 'openai', path: 'credential' }] } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'credential-openai', mountPath: '/etc/modelgate/secrets/openai', readOnly: true });
  });

  it('in front mode, mounts the listener certificate and reaches only the gateways', async () => {
    const ir = sampleIR();
    ir.gateway.envoy.mode = 'front';
    const files = (await k8s.build(ir, { targets: ALL })).files;
    const pod = byKind(files, 'Deployment', 'modelgate-envoy').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'tls', secret: { secretName: 'modelgate-envoy-tls' } });
    const egress = byKind(files, 'NetworkPolicy', 'modelgate-envoy').spec.egress;
    expect(egress.at(-1)).toEqual({
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'modelgate', 'app.kubernetes.io/instance': 'acme-gateway', 'app.kubernetes.io/component': 'gateway' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
    expect(egress).toHaveLength(2);
  });
});
