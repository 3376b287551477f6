// Where the config's text comes from: `--config FILE`, or `--config DIR` holding `config.json` or the parts the k8s
// target splits a large config into (one ConfigMap each, as Kubernetes caps an object at 1 MiB). The parts are
// listed in order, with their SHA-256, in `config.json.sha256` (sha256sum's format). Kubernetes updates the
// ConfigMaps behind a volume one at a time, so a set read half-updated is refused rather than served; the
// update that completes it changes the directory again and is read in turn.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config.ts';

const CONFIG_FILE = 'config.json';
export const PARTS_INDEX = `${CONFIG_FILE}.sha256`;

export interface ConfigText {
  text: string;
  /** What messages about the text name. */
  source: string;
}

export interface ConfigSource {
  read(): ConfigText;
  /** The directory to watch for changes. */
  dir: string;
  /** Whether a change to this entry of `dir` may change the config; `..data` is Kubernetes' volume swap. */
  concerns(entry: string): boolean;
}

/** A directory when `configPath` is one at start; otherwise the file, which may appear later. */
export function configSource(configPath: string): ConfigSource {
  if (!fs.statSync(configPath, { throwIfNoEntry: false })?.isDirectory()) {
    const name = path.basename(configPath);
    return {
      read: () => ({ text: fs.readFileSync(configPath, 'utf8'), source: configPath }),
      dir: path.dirname(configPath),
      concerns: (entry) => entry === name || entry.startsWith('..'),
    };
  }
  return {
    read: () => (fs.existsSync(path.join(configPath, PARTS_INDEX)) ? readParts(configPath) : readWhole(configPath)),
    dir: configPath,
    concerns: (entry) => entry.startsWith(CONFIG_FILE) || entry.startsWith('..'),
  };
}

function readWhole(dir: string): ConfigText {
  const file = path.join(dir, CONFIG_FILE);
  if (!fs.existsSync(file)) throw new ConfigError(`${dir} holds neither ${CONFIG_FILE} nor ${PARTS_INDEX}.`);
  return { text: fs.readFileSync(file, 'utf8'), source: file };
}

const INDEX_LINE = /^([0-9a-f]{64}) [ *]([A-Za-z0-9_-][A-Za-z0-9._-]*)$/;
const TORN = "the set is incomplete or mixes two builds (Kubernetes updates a volume's ConfigMaps one at a time)";

function readParts(dir: string): ConfigText {
  const indexPath = path.join(dir, PARTS_INDEX);
  const lines = fs
    .readFileSync(indexPath, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
  if (!lines.length) throw new ConfigError(`${indexPath} lists no parts.`);
  const parts = lines.map((line, i) => {
    const match = INDEX_LINE.exec(line);
    if (!match) throw new ConfigError(`${indexPath}:${i + 1}: expected "<sha256>  <part file>", as sha256sum writes it.`);
    const [, sha256, name] = match;
    const file = path.join(dir, name!);
    if (!fs.existsSync(file)) throw new ConfigError(`${file}, listed in ${PARTS_INDEX}, is missing: ${TORN}.`);
    const bytes = fs.readFileSync(file);
    if (createHash('sha256').update(bytes).digest('hex') !== sha256)
      throw new ConfigError(`${file} does not match its SHA-256 in ${PARTS_INDEX}: ${TORN}.`);
    return bytes;
  });
  // Decoded whole: a part may end inside a multi-byte character.
  return { text: Buffer.concat(parts).toString('utf8'), source: `${dir} (${CONFIG_FILE} from ${parts.length} parts)` };
}
