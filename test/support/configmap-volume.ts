// ConfigMap volumes as the kubelet writes them, for tests of what reads them: the files of one update in a new
// hidden directory, `..data` a symlink to it swapped by a rename, and one symlink per top-level entry through
// `..data`. A reader sees the whole of one update or the whole of the next, but the kubelet builds an update from
// whatever version of each ConfigMap it has seen, so the ConfigMaps behind one update may come from two applies.
// A `data` key is a text file; a `binaryData` key is the bytes its base64 stands for.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

type Json = Record<string, any>;

/** A mounted file's content: text from `data`, bytes from `binaryData`. */
export type VolumeFile = string | Buffer;

/** The files a pod sees in volume `volume` of `deployment`, from the ConfigMaps among the k8s target's `files`. */
export function volumeFiles(files: Record<string, string>, deployment: string, volume: string): Record<string, VolumeFile> {
  const docs: Json[] = Object.entries(files)
    .filter(([file]) => file !== 'kustomization.yaml')
    .map(([, text]) => parse(text));
  const pod = docs.find((d) => d.kind === 'Deployment' && d.metadata.name === deployment)!.spec.template.spec;
  const spec = pod.volumes.find((v: Json) => v.name === volume);
  const sources: Json[] = spec.projected ? spec.projected.sources.map((s: Json) => s.configMap) : [spec.configMap];
  const out: Record<string, VolumeFile> = {};
  for (const source of sources) {
    const configMap = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === source.name)!;
    const binary = Object.entries<string>(configMap.binaryData ?? {}).map(([key, base64]) => [key, Buffer.from(base64, 'base64')] as const);
    const content = new Map<string, VolumeFile>([...Object.entries<string>(configMap.data ?? {}), ...binary]);
    const items: { key: string; path: string }[] = source.items ?? [...content.keys()].map((key) => ({ key, path: key }));
    for (const { key, path: file } of items) out[file] = content.get(key)!;
  }
  return out;
}

/** Writes `files` into `dir` as one kubelet update of a ConfigMap volume (creating it on the first call). */
export function updateVolume(dir: string, files: Record<string, VolumeFile>): void {
  fs.mkdirSync(dir, { recursive: true });
  const data = path.join(dir, '..data');
  const previous = fs.existsSync(data) ? fs.readlinkSync(data) : undefined;
  const version = path.basename(fs.mkdtempSync(path.join(dir, '..v')));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, version, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, version, file), text);
  }
  fs.symlinkSync(version, path.join(dir, '..data_tmp'));
  fs.renameSync(path.join(dir, '..data_tmp'), data);
  const entries = new Set(Object.keys(files).map((file) => file.split('/')[0]!));
  for (const entry of fs.readdirSync(dir)) {
    if (!entry.startsWith('..') && !entries.has(entry)) fs.rmSync(path.join(dir, entry));
  }
  for (const entry of entries) if (!fs.existsSync(path.join(dir, entry))) fs.symlinkSync(path.join('..data', entry), path.join(dir, entry));
  if (previous) fs.rmSync(path.join(dir, previous), { recursive: true });
}
