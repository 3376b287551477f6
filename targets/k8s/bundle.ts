// The gateway's bundle in the pods. `gateway.mjs` is one minified file of about 850 KB that grows with every API
// the gateway learns, too close to Kubernetes' 1 MiB object limit to travel as text. Gzipped into the ConfigMap's
// `binaryData` it takes about 40 % of that, base64 included (a third of the limit): one object, with room for the
// bundle to double and more.
// The container's start script inflates it into /tmp (the root filesystem is read-only) with `node` itself, so
// the image needs nothing but `sh` and `node`, and runs it only if its SHA-256 is the one the Deployment records:
// gzip's own checksum catches a damaged file, the hash a ConfigMap from another apply, so that a pod never serves
// another build's gateway.
// Cutting the bundle into parts, as the config is cut, would not do: the parts grow in number with the bundle,
// must all arrive before a pod can start, and a minified file's diff is unreadable either way.
import { constants, gzipSync } from 'node:zlib';
import { sha256Hex } from '../emit.ts';
import { piece, type PieceCache } from '../target.ts';

/** The ConfigMap key of the gzipped bundle, and the file the kubelet mounts it as. */
export const BUNDLE_KEY = 'gateway.mjs.gz';
/** Where the start script writes the bundle inflated (an emptyDir). */
const INFLATED = '/tmp/gateway.mjs';
/** The OS field of a gzip header (RFC 1952): zlib writes the system it was built for there. */
const GZIP_OS = 9;
const GZIP_OS_UNIX = 3;

export interface GzippedBundle {
  /** The gzip, in base64 as `binaryData` holds it. */
  base64: string;
  /** SHA-256 of the bundle itself: what the pod checks, the same whichever zlib compressed it. */
  sha256: string;
}

let last: { text: string; gzipped: GzippedBundle } | undefined;

/** The bundle is the same for every environment of a process: compressed once (and once across builds with `pieces`). */
export function gzipBundle(text: string, pieces?: PieceCache): GzippedBundle {
  if (last?.text !== text) {
    const base64 = piece(pieces, 'gzip-bundle', text, () => {
      // The header's mtime is 0 (none given); its OS byte would differ between macOS, Windows and Linux builds.
      const gz = gzipSync(text, { level: constants.Z_BEST_COMPRESSION });
      gz[GZIP_OS] = GZIP_OS_UNIX;
      return gz.toString('base64');
    });
    last = { text, gzipped: { base64, sha256: sha256Hex(text) } };
  }
  return last.gzipped;
}

/**
 * Inflates `<dir>/gateway.mjs.gz` into /tmp and checks it, in CommonJS for `node -e`; a missing, damaged or other
 * bundle exits 1 (the kubelet restarts the container) with the reason. No single quote: sh's quotes hold it.
 */
const inflater = (dir: string, sha256: string, configMap: string) => `
const fs = require("node:fs");
let bundle;
try { bundle = require("node:zlib").gunzipSync(fs.readFileSync("${dir}/${BUNDLE_KEY}")); } catch {}
if (!bundle || require("node:crypto").createHash("sha256").update(bundle).digest("hex") !== "${sha256}") {
  console.error("modelgate: ${dir}/${BUNDLE_KEY} is not the gateway this pod was built with (SHA-256 ${sha256}): ConfigMap ${configMap} holds another build (apply the manifests of one build together), or the kubelet has not seen its update yet");
  process.exit(1);
}
fs.writeFileSync("${INFLATED}", bundle);
`;

/**
 * `sh -c`: inflate, then exec the gateway (the container's main process, which gets the signals) with `args`,
 * passed as the script's own arguments; `$0`, which sh's own errors begin with, is the ConfigMap's name.
 */
export function startCommand(o: {
  dir: string;
  sha256: string;
  configMap: string;
  nodeFlags: readonly string[];
  args: string[];
}): string[] {
  const script = [
    'set -e',
    `node -e '${inflater(o.dir, o.sha256, o.configMap)}'`,
    `exec node ${[...o.nodeFlags, INFLATED].join(' ')} "$@"`,
  ].join('\n');
  return ['sh', '-c', script, o.configMap, ...o.args];
}
