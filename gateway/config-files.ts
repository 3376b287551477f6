// Where the config's text comes from: `--config FILE`, or `--config DIR` holding `config.json` or the parts the k8s
// target splits a large config into (one ConfigMap each, as Kubernetes caps an object at 1 MiB). The parts are
// listed in order, with their SHA-256, in `config.json.sha256` (sha256sum's format). Kubernetes updates the
// ConfigMaps behind a volume one at a time, so a set read half-updated is refused rather than served; the
// update that completes it changes the directory again and is read in turn.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { ConfigError } from './config.ts';

const CONFIG_FILE = 'config.json';
export const PARTS_INDEX = `${CONFIG_FILE}.sha256`;

export interface ConfigText {
  text: string;
  /** SHA-256 of the bytes read: tells an unchanged config from a changed one without keeping the text. */
  digest: string;
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
      read: () => readFiles([configPath], configPath),
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
  return readFiles([file], file);
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
    return { file, sha256: sha256! };
  });
  return readFiles(
    parts.map((p) => p.file),
    `${dir} (${CONFIG_FILE} from ${parts.length} parts)`,
    (i, digest) => {
      if (digest !== parts[i]!.sha256) throw new ConfigError(`${parts[i]!.file} does not match its SHA-256 in ${PARTS_INDEX}: ${TORN}.`);
    },
  );
}

const CHUNK_BYTES = 64 * 1024;

/**
 * The files' bytes decoded as one UTF-8 text (a part may end inside a multi-byte character), read in small chunks:
 * a buffer of the whole config (megabytes) is what glibc's malloc keeps, and raises its mmap threshold for, so
 * every reload after the first would leave that much more memory resident. `check` sees each file's SHA-256.
 */
function readFiles(files: readonly string[], source: string, check?: (index: number, sha256: string) => void): ConfigText {
  const decoder = new StringDecoder('utf8');
  const whole = createHash('sha256');
  const texts: string[] = [];
  const chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  files.forEach((file, i) => {
    // A part's own digest only when it is checked: hashing costs about as much as the rest of reading.
    const own = check && createHash('sha256');
    const fd = fs.openSync(file, 'r');
    try {
      for (let n = fs.readSync(fd, chunk); n > 0; n = fs.readSync(fd, chunk)) {
        const bytes = chunk.subarray(0, n);
        own?.update(bytes);
        whole.update(bytes);
        texts.push(decoder.write(bytes));
      }
    } finally {
      fs.closeSync(fd);
    }
    if (own) check!(i, own.digest('hex'));
  });
  texts.push(decoder.end());
  return { text: texts.join(''), digest: whole.digest('hex'), source };
}
