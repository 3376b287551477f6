// Configs too large for one ConfigMap (Kubernetes refuses objects over 1 MiB): the k8s target splits them over
// numbered ConfigMaps, and what the pods see once the kubelet has mounted the parts works: the gateway's container
// starts from its gzipped bundle, serves the parts and refuses a set caught half-updated, Envoy's start script puts
// its bootstrap back together.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { gzipSync } from 'node:zlib';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRepo } from '../../bench/generate.ts';
import { compileSources } from '../../pipeline/compile.ts';
import type { IR } from '../../compiler/ir/types.ts';
import { startMockAnthropic, startMockOpenAI, type MockUpstream } from '../../test/mock-providers/index.ts';
import { bearer, chatBody, eventually, processIR, request, scratchDir, useGatewayProcesses } from '../../test/hardening/gateway-helpers.ts';
import { envoyConfig, envoyFiles } from '../envoy/index.ts';
import { nodeTarget } from '../node/index.ts';
import { UPSTREAM_KEYS } from '../../test/support/gateway-fixture.ts';
import { KEYS, testConsumer } from '../../test/support/ir-fixture.ts';
import { configSource } from '../../gateway/config-files.ts';
import { updateVolume, volumeFiles, type VolumeFile } from '../../test/support/configmap-volume.ts';
import { k8sSchemaProblems } from '../../test/support/k8s-schemas.ts';
import { createK8sTarget } from './index.ts';
import { PART_MAX_BYTES } from './parts.ts';

type Json = Record<string, any>;
const k8s = createK8sTarget(nodeTarget);
const manifests = (files: Record<string, string>): Json[] =>
  Object.entries(files)
    .filter(([file]) => file !== 'kustomization.yaml')
    .map(([, text]) => parse(text));
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
const scratch = scratchDir('large-config');
let volumes = 0;
/** A fresh directory holding `files` as the kubelet mounts a volume. */
function mounted(files: Record<string, VolumeFile>): string {
  const dir = path.join(scratch, `volume-${++volumes}`);
  updateVolume(dir, files);
  return dir;
}

describe('a generated repo of 1,000 resources', () => {
  let ir: IR;
  let files: Record<string, string>;
  beforeAll(async () => {
    const compiled = compileSources(generateRepo({ resources: 1000, seed: 42, layout: 'single' }), { env: 'prod' });
    ir = compiled.ir!;
    const out = await k8s.build(ir, { targets: ['node', 'envoy', 'k8s'] });
    expect(out.findings).toEqual([]);
    files = out.files;
  }, 120_000);

  it('builds several config parts, every object well under 1 MiB, valid, and rendered by kustomize', () => {
    const docs = manifests(files);
    const parts = (prefix: string) => docs.filter((d) => d.kind === 'ConfigMap' && d.metadata.name.startsWith(`${prefix}-config-`));
    expect(parts('modelgate-gateway').length).toBeGreaterThan(1);
    expect(parts('modelgate-envoy').length).toBeGreaterThan(1);
    for (const part of [...parts('modelgate-gateway'), ...parts('modelgate-envoy')]) {
      expect(Buffer.byteLength(Object.values(part.data as Record<string, string>)[0]!)).toBeLessThanOrEqual(PART_MAX_BYTES);
    }
    for (const doc of docs)
      expect(Buffer.byteLength(JSON.stringify(doc)), `${doc.kind}/${doc.metadata.name}`).toBeLessThan(0.75 * 1024 * 1024);
    expect(docs.flatMap((d) => k8sSchemaProblems(d as never))).toEqual([]);
    if (!kubectl) return;
    const dir = path.join(scratch, 'k8s');
    fs.mkdirSync(dir);
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    const rendered = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(rendered.stderr).toBe('');
    expect(parseAllDocuments(rendered.stdout)).toHaveLength(docs.length);
  });

  it("gives the gateway back the node target's config.json in the directory it serves", async () => {
    const dir = mounted(volumeFiles(files, 'modelgate-gateway', 'config'));
    expect(configSource(dir).read().text).toBe((await nodeTarget.build(ir)).files['config.json']);
  });

  it("puts envoy.yaml back together with the container's start script, and stops on a torn set", () => {
    const volume = volumeFiles(files, 'modelgate-envoy', 'config');
    const [shell, flag, script] = manifests(files).find((d) => d.kind === 'Deployment' && d.metadata.name === 'modelgate-envoy')!.spec
      .template.spec.containers[0].command;
    expect([shell, flag]).toEqual(['sh', '-c']);
    /** Runs the script on a volume, in scratch paths, with an `envoy` that copies the file it is given. */
    const start = (dir: string) => {
      const bin = path.join(dir, '..bin');
      fs.mkdirSync(bin);
      fs.writeFileSync(path.join(bin, 'envoy'), `#!/bin/sh\ncp "$2" ${dir}/..started.yaml\n`, { mode: 0o755 });
      const local = script.replaceAll('/etc/envoy', dir).replaceAll('/tmp/envoy.yaml', `${dir}/..assembled.yaml`);
      return spawnSync('sh', ['-c', local], { encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH}` } });
    };
    const whole = mounted(volume);
    expect(start(whole)).toMatchObject({ status: 0, stderr: '' });
    expect(fs.readFileSync(path.join(whole, '..started.yaml'), 'utf8')).toBe(envoyFiles(ir, envoyConfig(ir))['envoy.yaml']);
    const torn = mounted({ ...volume, 'envoy.yaml.part-001': 'another build\n' });
    const refused = start(torn);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /the envoy\.yaml parts in .* do not match envoy\.yaml\.sha256: the set is incomplete or mixes two builds/,
    );
    expect(fs.existsSync(path.join(torn, '..started.yaml'))).toBe(false);
  });
});

describe('the gateway on a config of several parts, as the kubelet mounts and updates them', () => {
  const processes = useGatewayProcesses('config-parts');
  let oai: MockUpstream;
  let ant: MockUpstream;
  /** The fixture with route `chat` served by `provider`, and enough consumers to take several parts. */
  const large = (provider: 'oai' | 'ant'): IR => {
    const ir = processIR(oai, ant, path.join(processes.dir, 'usage.jsonl'));
    ir.routes.find((r) => r.name === 'chat')!.targets = [
      provider === 'oai'
        ? { provider: 'oai', model: 'gpt-4o-mini', weight: 100 }
        : { provider: 'ant', model: 'claude-3-5-haiku', weight: 100 },
    ];
    for (let i = 0; i < 8000; i++) {
      const name = `padding-${String(i).padStart(5, '0')}`;
      ir.consumers.push(
        testConsumer(name, {
          labels: { team: 'padding' },
          apiKeys: [{ id: `${name}-1`, sha256: createHash('sha256').update(name).digest('hex') }],
        }),
      );
    }
    return ir;
  };
  /** The first build's manifests, and what the gateway's pods see of the first and the second. */
  let built: Record<string, string>;
  let before: Record<string, VolumeFile>;
  let after: Record<string, VolumeFile>;
  beforeAll(async () => {
    [oai, ant] = await Promise.all([
      startMockOpenAI({ apiKey: UPSTREAM_KEYS.OAI_KEY, record: false }),
      startMockAnthropic({ apiKey: UPSTREAM_KEYS.ANT_KEY, record: false }),
    ]);
    built = (await k8s.build(large('oai'))).files;
    before = volumeFiles(built, 'modelgate-gateway', 'config');
    after = volumeFiles((await k8s.build(large('ant'))).files, 'modelgate-gateway', 'config');
  }, 60_000);
  afterAll(() => Promise.all([oai?.close(), ant?.close()]));

  const changed = () => Object.keys(after).filter((file) => !isDeepStrictEqual(after[file], before[file]));
  const changedParts = () => changed().filter((file) => file.startsWith('config.json.part-'));
  /** The new build's files, but for the changed part: the kubelet has not seen its ConfigMap's update yet. */
  const torn = () => ({ ...after, ...Object.fromEntries(changedParts().map((file) => [file, before[file]!])) });
  const provider = async (gw: { url: string }) =>
    (await request(`${gw.url}/v1/chat/completions`, { headers: bearer(KEYS.alice), body: chatBody('chat') })).headers[
      'x-modelgate-provider'
    ];

  /** The first build's gateway container, its command run by sh and node here: /etc/modelgate is `dir`, /tmp a scratch directory. */
  const startContainer = (dir: string) => {
    const tmp = fs.mkdtempSync(path.join(processes.dir, 'tmp-'));
    const pod = manifests(built).find((d) => d.kind === 'Deployment' && d.metadata.name === 'modelgate-gateway')!.spec.template.spec;
    const command = (pod.containers[0].command as string[]).map((arg) =>
      arg.replace(/\/etc\/modelgate|\/tmp(?=\/)/g, (m) => (m === '/tmp' ? tmp : dir)),
    );
    // On a free loopback port: of an option given twice, the gateway takes the last.
    return processes.launch([...command, '--host', '127.0.0.1', '--port', '0'], {
      env: { PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` },
    });
  };

  it("starts the container's command on the volume: the bundle inflated into /tmp, checked and run", async () => {
    const gw = await startContainer(mounted(before));
    expect((await request(`${gw.url}/readyz`, { method: 'GET' })).status).toBe(200);
    expect(await provider(gw)).toBe('oai');
  });

  it("refuses to start the container on another build's bundle, saying why", async () => {
    const other = mounted({ ...before, 'gateway.mjs.gz': gzipSync('console.log("another build");\n') });
    await expect(startContainer(other)).rejects.toThrow(
      /exited \(1\) before listening.*modelgate: .*\/gateway\.mjs\.gz is not the gateway this pod was built with \(SHA-256 [0-9a-f]{64}\): ConfigMap modelgate-gateway holds another build/,
    );
  });

  it('serves the parts, reloads on a complete update and refuses a torn one, keeping the previous config', async () => {
    expect(Object.keys(before).filter((file) => file.startsWith('config.json.part-')).length).toBeGreaterThan(2);
    // One route changed: one part and the index differ, not every part after it (nor the bundle).
    expect(changedParts()).toHaveLength(1);
    expect(changed().sort()).toEqual([...changedParts(), 'config.json.sha256']);

    const dir = mounted(before);
    const gw = await processes.run(dir);
    expect(await provider(gw)).toBe('oai');

    updateVolume(dir, torn());
    await eventually('the torn set is refused', () =>
      gw.logLines().some((l) => l.msg === 'new config refused; the previous one keeps serving'),
    );
    const refusal = gw.logLines().find((l) => l.msg === 'new config refused; the previous one keeps serving')!;
    expect(refusal.error).toBe(
      `${path.join(dir, changedParts()[0]!)} does not match its SHA-256 in config.json.sha256: the set is incomplete or mixes two builds (Kubernetes updates a volume's ConfigMaps one at a time).`,
    );
    expect(await provider(gw)).toBe('oai');

    updateVolume(dir, after);
    await eventually('the complete update serves', async () => (await provider(gw)) === 'ant');
    expect(gw.child.exitCode).toBeNull();
  });

  it('refuses to start on a torn set, saying why', async () => {
    await expect(processes.run(mounted(torn()))).rejects.toThrow(
      /cannot start: .*config\.json\.part-\d{3} does not match its SHA-256 in config\.json\.sha256: the set is incomplete or mixes two builds/,
    );
  });
});
