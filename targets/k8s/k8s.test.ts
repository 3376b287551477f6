import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import { sha256Hex } from '../emit.ts';
import { parseSecretRef } from '../../kernel/secret-env.ts';
import type { TargetName } from '../target.ts';
import { nodeTarget } from '../node/index.ts';
import { acmeIR } from '../../test/support/acme.ts';
import { k8sSchemaProblems } from '../../test/support/k8s-schemas.ts';
import { sampleIR, sampleIRWithNatives } from '../../test/support/ir-fixture.ts';
import { fakeNode } from '../../test/support/fake-node-target.ts';
import { createK8sTarget } from './index.ts';

type Json = Record<string, any>;

const k8s = createK8sTarget(fakeNode);
/** The k8s target over a node target whose bundle is `bundle`. */
const withBundle = (bundle: string) =>
  createK8sTarget({
    ...fakeNode,
    build: async (ir: IR) => ({ files: { ...(await fakeNode.build(ir)).files, 'gateway.mjs': bundle }, findings: [] }),
  });
const ALL: TargetName[] = ['node', 'envoy', 'k8s', 'envoy-ai-gateway'];

const manifests = (files: Record<string, string>): Json[] =>
  Object.entries(files)
    .filter(([f]) => f !== 'kustomization.yaml')
    .map(([, text]) => parse(text));
/** The manifest of that kind (and name). */
const byKind = (files: Record<string, string>, kind: string, name?: string): Json =>
  manifests(files).find((m) => m.kind === kind && (name === undefined || m.metadata.name === name))!;

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
    ['with Bedrock and Gemini', 'direct', ALL],
  ] as const)('%s: every manifest is valid', async (name, mode, targets) => {
    const ir = name === 'with Bedrock and Gemini' ? sampleIRWithNatives() : sampleIR();
    ir.gateway.envoy.mode = mode;
    const out = await k8s.build(ir, { targets });
    expect(manifests(out.files).flatMap((m) => k8sSchemaProblems(m as never))).toEqual([]);
    expect(out.findings).toEqual([]);
    const kinds = manifests(out.files).map((m) => m.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'Namespace',
        'ServiceAccount',
        'ConfigMap',
        'Deployment',
        'Service',
        'HorizontalPodAutoscaler',
        'PodDisruptionBudget',
        'NetworkPolicy',
      ]),
    );
    expect(kinds.filter((k) => k === 'Deployment')).toHaveLength(targets.includes('envoy') ? 2 : 1);
  });

  it('fails a manifest that breaks the schema', () => {
    const problems = k8sSchemaProblems({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { replicas: 'two', selector: {}, template: {} },
    } as never);
    expect(problems.join('\n')).toMatch(/replicas must be integer/);
    expect(k8sSchemaProblems({ apiVersion: 'v1', kind: 'Servce', metadata: { name: 'x' } })).toEqual([
      'Servce/x: no Kubernetes schema for v1 Servce',
    ]);
  });

  it.skipIf(!kubectl)(
    `renders with kubectl kustomize, every file listed in the kustomization${kubectl ? '' : ' (skipped: no kubectl)'}`,
    async () => {
      const out = await k8s.build(sampleIR(), { targets: ALL });
      const result = spawnSync('kubectl', ['kustomize', writeOut(out.files)], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      const rendered = parseAllDocuments(result.stdout).map((d) => d.toJS());
      expect(rendered).toHaveLength(Object.keys(out.files).length - 1);
      expect(rendered.every((m) => m.metadata.namespace === 'ai-gateway' || m.kind === 'Namespace')).toBe(true);
    },
  );

  it('acme prod with the real node bundle: valid, the bundle gzipped and the config apart, rendered by kustomize', async () => {
    const out = await createK8sTarget(nodeTarget).build(acmeIR('prod'), { targets: ALL });
    expect(out.findings).toEqual([]);
    expect(manifests(out.files).flatMap((m) => k8sSchemaProblems(m as never))).toEqual([]);
    const bundle = byKind(out.files, 'ConfigMap', 'modelgate-gateway');
    expect(Object.keys(bundle)).not.toContain('data');
    const gz = Buffer.from(bundle.binaryData['gateway.mjs.gz'], 'base64');
    expect(gunzipSync(gz).toString('utf8')).toBe((await nodeTarget.build(acmeIR('prod'))).files['gateway.mjs']);
    // The same bytes on every machine: no mtime, Unix as the OS (RFC 1952's header: bytes 4-7, byte 9).
    expect([gz.readUInt32LE(4), gz[9]]).toEqual([0, 3]);
    expect(Object.keys(byKind(out.files, 'ConfigMap', 'modelgate-gateway-config').data)).toEqual(['config.json.sha256']);
    expect(byKind(out.files, 'ConfigMap', 'modelgate-gateway-config-000').data['config.json.part-000']).toBe(
      (await nodeTarget.build(acmeIR('prod'))).files['config.json'],
    );
    if (kubectl) expect(spawnSync('kubectl', ['kustomize', writeOut(out.files)], { encoding: 'utf8' }).status).toBe(0);
  });

  it('is a build error when an object would exceed 1 MiB, while a config of any size is split', async () => {
    const ir = sampleIR();
    ir.routes[0]!.labels.note = 'x'.repeat(1_100_000);
    expect((await k8s.build(ir, { targets: ['node', 'k8s'] })).findings).toEqual([]);
    // A bundle that gzip cannot shrink below 1 MiB.
    const out = await withBundle(randomBytes(1_100_000).toString('base64')).build(sampleIR(), { targets: ['node', 'k8s'] });
    expect(out.findings).toEqual([
      expect.objectContaining({
        ruleId: 'target-invalid',
        severity: 'error',
        resource: 'Gateway/acme-gateway',
        message: expect.stringMatching(
          /^ConfigMap\/modelgate-gateway \(configmap\.yaml\) would be 1\d{6} bytes as JSON, over Kubernetes' 1 MiB object limit$/,
        ),
      }),
    ]);
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
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.image).toBe('node:20-alpine');
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    // The usage log file gets a writable directory.
    expect(container.volumeMounts).toContainEqual({ name: 'usage-log', mountPath: '/var/log/modelgate' });
  });

  it('mounts the bundle, the index and every part of the config in one directory, the one it serves', async () => {
    const files = await build();
    const pod = byKind(files, 'Deployment', 'modelgate-gateway').spec.template.spec;
    const [container] = pod.containers;
    const mount = container.volumeMounts.find((m: Json) => m.name === 'config');
    const [shell, flag, script, ...args] = container.command;
    expect([shell, flag, ...args]).toEqual(['sh', '-c', 'modelgate-gateway', '--config', mount.mountPath, '--host', '0.0.0.0']);
    // Inflated from the volume into the /tmp emptyDir, checked against the bundle's hash, then run with the gateway's flags.
    expect(script).toContain(`${mount.mountPath}/gateway.mjs.gz`);
    expect(script).toContain(`"${sha256Hex('console.log("gateway");\n')}"`);
    expect(script.split('\n').at(-1)).toBe('exec node --max-semi-space-size=8 --expose-gc /tmp/gateway.mjs "$@"');
    expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    const names = manifests(files)
      .filter((m) => m.kind === 'ConfigMap' && m.metadata.name.startsWith('modelgate-gateway'))
      .map((m) => m.metadata.name);
    expect(names).toEqual(['modelgate-gateway', 'modelgate-gateway-config', 'modelgate-gateway-config-000']);
    expect(pod.volumes.find((v: Json) => v.name === 'config').projected.sources).toEqual(names.map((name) => ({ configMap: { name } })));
  });

  it("rolls the pods when the bundle or any part of the config changes: the index holds every part's hash", async () => {
    const files = await build();
    const annotation = (f: Record<string, string>) =>
      byKind(f, 'Deployment', 'modelgate-gateway').spec.template.metadata.annotations['checksum/config'];
    const part = byKind(files, 'ConfigMap', 'modelgate-gateway-config-000').data['config.json.part-000'];
    expect(byKind(files, 'ConfigMap', 'modelgate-gateway-config').data).toEqual({
      'config.json.sha256': `${sha256Hex(part)}  config.json.part-000\n`,
    });
    const changed = sampleIR();
    changed.routes[0]!.timeoutMs = 45_000;
    expect(annotation(await build(changed))).not.toBe(annotation(files));
    expect(annotation((await withBundle('// another\n').build(sampleIR(), { targets: ALL })).files)).not.toBe(annotation(files));
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

  it('wires Bedrock keys and the Gemini key as Secret variables, and projects the service account token for a web identity', async () => {
    const files = (await k8s.build(sampleIRWithNatives(), { targets: ['node', 'k8s'] })).files;
    const pod = byKind(files, 'Deployment', 'modelgate-gateway').spec.template.spec;
    const env = Object.fromEntries(pod.containers[0].env.map((e: Json) => [e.name, e.valueFrom.secretKeyRef]));
    expect(env).toMatchObject({
      AWS_ACCESS_KEY_ID: { name: 'modelgate-credentials', key: 'aws_access_key_id' },
      MODELGATE_SECRET_AWS_BEDROCK_SECRET_ACCESS_KEY: { name: 'aws-bedrock', key: 'secret-access-key' },
      GEMINI_API_KEY: { name: 'modelgate-credentials', key: 'gemini_api_key' },
    });
    const dir = '/var/run/secrets/eks.amazonaws.com/serviceaccount';
    const mount = pod.containers[0].volumeMounts.find((m: Json) => m.mountPath === dir);
    expect(mount).toMatchObject({ readOnly: true });
    expect(pod.volumes.find((v: Json) => v.name === mount.name).projected).toEqual({
      sources: [{ serviceAccountToken: { audience: 'sts.amazonaws.com', expirationSeconds: 3600, path: 'token' } }],
    });
    expect(
      byKind(files, 'NetworkPolicy', 'modelgate-gateway').spec.egress.flatMap((e: Json) => e.ports.map((p: Json) => p.port)),
    ).toContain(443);
  });

  it('lets the gateway reach its OTLP collector, with the export headers from Secrets', async () => {
    const ir = sampleIR();
    ir.gateway.telemetry = {
      otlp: {
        endpoint: 'http://otel-collector.observability:4318/v1/traces',
        headers: { 'x-api-key': parseSecretRef('k8s:otlp/key') },
        samplingRatio: 0.1,
        serviceName: 'gw',
      },
    };
    const files = (await k8s.build(ir, { targets: ['node', 'k8s'] })).files;
    const pod = byKind(files, 'Deployment', 'modelgate-gateway').spec.template.spec;
    expect(pod.containers[0].env).toContainEqual({
      name: 'MODELGATE_SECRET_OTLP_KEY',
      valueFrom: { secretKeyRef: { name: 'otlp', key: 'key' } },
    });
    const ports = byKind(files, 'NetworkPolicy', 'modelgate-gateway').spec.egress.flatMap((e: Json) => e.ports.map((p: Json) => p.port));
    expect(ports).toContain(4318);
  });

  it('projects a token next to file secrets of the same directory in one volume', async () => {
    const ir = sampleIRWithNatives();
    const irsa = ir.providers.find((p) => p.name === 'bedrock-irsa')!;
    irsa.aws = { ...irsa.aws!, webIdentityTokenFile: '/run/secrets/mistral/aws-token' } as typeof irsa.aws;
    const pod = byKind((await k8s.build(ir, { targets: ['node', 'k8s'] })).files, 'Deployment', 'modelgate-gateway').spec.template.spec;
    expect(pod.containers[0].volumeMounts.filter((m: Json) => m.mountPath === '/run/secrets/mistral')).toHaveLength(1);
    expect(pod.volumes.find((v: Json) => v.projected?.sources.some((s: Json) => s.serviceAccountToken)).projected.sources).toEqual([
      { secret: { name: 'modelgate-credentials', items: [{ key: 'api-key', path: 'api-key' }] } },
      { serviceAccountToken: { audience: 'sts.amazonaws.com', expirationSeconds: 3600, path: 'aws-token' } },
    ]);
  });

  it('is a build error when a file secret would be mounted on the config directory, inside it, or on /tmp', async () => {
    for (const file of ['/etc/modelgate/openai-key', '/etc/modelgate/keys/openai', '/tmp/openai-key']) {
      const ir = sampleIR();
      ir.providers.find((p) => p.name === 'openai')!.credential = parseSecretRef(`file:${file}`);
      const out = await k8s.build(ir);
      expect(out.findings, file).toContainEqual(
        expect.objectContaining({
          ruleId: 'target-invalid',
          severity: 'error',
          message: expect.stringContaining(`secret file ${file} `),
        }),
      );
    }
    const ir = sampleIR();
    ir.providers.find((p) => p.name === 'openai')!.credential = parseSecretRef('file:/run/secrets/openai/key');
    expect((await k8s.build(ir)).findings).toEqual([]);
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

  it("lets the gateway reach only DNS, the providers' ports and Redis", async () => {
    const policy = byKind(await build(), 'NetworkPolicy', 'modelgate-gateway').spec;
    expect(policy.ingress).toEqual([{ ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(policy.egress.flatMap((e: Json) => e.ports.map((p: Json) => `${p.protocol}/${p.port}`))).toEqual([
      'UDP/53',
      'TCP/53',
      'TCP/443',
      'TCP/6379',
      'TCP/8000',
    ]);
  });

  it('is a build error when maxReplicas is below the replica count', async () => {
    const ir = sampleIR();
    ir.gateway.kubernetes.autoscaling.maxReplicas = 2;
    const out = await k8s.build(ir);
    expect(out.findings).toEqual([
      expect.objectContaining({
        severity: 'error',
        resource: 'Gateway/acme-gateway',
        path: ['spec', 'kubernetes', 'autoscaling', 'maxReplicas'],
      }),
    ]);
  });
});

describe('Envoy next to the gateways', () => {
  it('comes only with the envoy target', async () => {
    const files = (await k8s.build(sampleIR(), { targets: ['node', 'k8s'] })).files;
    expect(Object.keys(files).some((f) => f.startsWith('envoy-'))).toBe(false);
  });

  it("mounts the envoy target's files and one credential Secret item per provider", async () => {
    const files = (await k8s.build(sampleIR(), { targets: ALL })).files;
    const pod = byKind(files, 'Deployment', 'modelgate-envoy').spec.template.spec;
    expect(Object.keys(byKind(files, 'ConfigMap', 'modelgate-envoy').data)).toEqual([
      'envoy.yaml.sha256',
      'sds.azure-openai-credential.yaml',
      'sds.mistral-credential.yaml',
      'sds.openai-credential.yaml',
    ]);
    expect(Object.keys(byKind(files, 'ConfigMap', 'modelgate-envoy-config-000').data)).toEqual(['envoy.yaml.part-000']);
    const [own, part] = pod.volumes[0].projected.sources;
    expect(own.configMap.items).toContainEqual({ key: 'sds.openai-credential.yaml', path: 'sds/openai-credential.yaml' });
    expect(part).toEqual({ configMap: { name: 'modelgate-envoy-config-000' } });
    expect(pod.volumes).toContainEqual({
      name: 'credential-openai',
      secret: { secretName: 'modelgate-envoy-credentials', items: [{ key: 'openai', path: 'credential' }] },
    });
    expect(pod.containers[0].volumeMounts).toContainEqual({
      name: 'credential-openai',
      mountPath: '/etc/modelgate/secrets/openai',
      readOnly: true,
    });
  });

  it('in front mode, mounts the listener certificate and reaches only the gateways', async () => {
    const ir = sampleIR();
    ir.gateway.envoy.mode = 'front';
    const files = (await k8s.build(ir, { targets: ALL })).files;
    const pod = byKind(files, 'Deployment', 'modelgate-envoy').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'tls', secret: { secretName: 'modelgate-envoy-tls' } });
    const egress = byKind(files, 'NetworkPolicy', 'modelgate-envoy').spec.egress;
    expect(egress.at(-1)).toEqual({
      to: [
        {
          podSelector: {
            matchLabels: {
              'app.kubernetes.io/name': 'modelgate',
              'app.kubernetes.io/instance': 'acme-gateway',
              'app.kubernetes.io/component': 'gateway',
            },
          },
        },
      ],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
    expect(egress).toHaveLength(2);
  });
});
