// `node gateway.mjs --config config.json|DIR [--port P] [--host H]`: the process around a gateway. Loads the config
// (a bad one, or a missing credential, is a one-line start-up error and exit 1), reloads it on SIGHUP or when it
// changes, and drains on SIGTERM/SIGINT.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { configSource, type ConfigSource } from './config-files.ts';
import { parseConfig } from './config.ts';
import { startGateway, type Gateway } from './gateway.ts';
import { createLogger } from './log.ts';

const USAGE = `usage: node gateway.mjs --config config.json|DIR [--port P] [--host H] [--drain-seconds S]

  --config, -c      the config.json written by \`modelgate build\`, or a directory holding it or its parts
                    (config.json.sha256 and the files it lists, as the k8s target mounts them);
                    reloaded when it changes or on SIGHUP
  --port, -p        listen port (default: the config's gateway.listen.port)
  --host            listen address (default: the config's gateway.listen.host)
  --drain-seconds   how long SIGTERM waits for requests in flight (default 25)
`;

const RELOAD_DEBOUNCE_MS = 200;
/**
 * How long after a load its garbage is collected: once the server listens, so that the pause (50 ms at 10,000
 * resources) does not delay the first answers (the readiness probe), yet well before traffic builds up.
 */
const GC_DELAY_MS = 100;

/**
 * Collects a config load's garbage (the config's text, the snapshot it replaced) soon after it, when Node runs with
 * `--expose-gc` (GATEWAY_NODE_FLAGS). V8 would otherwise leave it until the heap grows further, which an idle
 * gateway never does: 10,000 resources, RSS after a reload 157 -> 130 MB for one pause of tens of ms per load.
 * Deferred, so that the loading function's variables are out of scope.
 */
function collectGarbageSoon(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) setTimeout(gc, GC_DELAY_MS).unref();
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'drain-seconds': { type: 'string', default: '25' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    process.stderr.write(`modelgate gateway: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  const drainSeconds = Number(values['drain-seconds']);
  if (!values.config || (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) || !(drainSeconds >= 0)) {
    process.stderr.write(USAGE);
    return 2;
  }

  let source: ConfigSource;
  // A digest, not the text: the text of a large config would stay in memory next to what it was parsed into.
  let digest: string;
  let gateway: Gateway;
  try {
    source = configSource(path.resolve(values.config));
    const first = source.read();
    digest = first.digest;
    gateway = await startGateway({ ir: parseConfig(first.text, first.source), port, host: values.host });
  } catch (err) {
    process.stderr.write(`modelgate gateway: cannot start: ${(err as Error).message}\n`);
    return 1;
  }
  collectGarbageSoon();
  const log = createLogger(gateway.ir.gateway.logging.level);

  const reload = (why: string) => {
    let parsed = false;
    try {
      const next = source.read();
      if (next.digest === digest && why === 'file changed') return;
      const ir = parseConfig(next.text, next.source);
      parsed = true;
      gateway.reload(ir); // counts its own outcome in modelgate_config_reloads_total
      digest = next.digest;
      log.level = gateway.ir.gateway.logging.level;
      log.log('info', 'config reloaded', { why, environment: gateway.ir.environment.name });
      collectGarbageSoon();
    } catch (err) {
      if (!parsed) gateway.metrics.reload(false);
      log.log('error', 'new config refused; the previous one keeps serving', { why, error: (err as Error).message });
    }
  };
  let pending: NodeJS.Timeout | undefined;
  // The directory, not the file: editors and Kubernetes ConfigMaps replace the file rather than write into it.
  const watcher = fs.watch(source.dir, { persistent: false }, (_event, file) => {
    // Only the config and Kubernetes' `..data` swap: another file written there (a usage log) would otherwise
    // postpone the debounced reload for as long as it is written.
    if (file && !source.concerns(file)) return;
    clearTimeout(pending);
    pending = setTimeout(() => reload('file changed'), RELOAD_DEBOUNCE_MS);
  });
  process.on('SIGHUP', () => reload('SIGHUP'));

  const stop = async (signal: string) => {
    log.log('info', 'draining', { signal, graceSeconds: drainSeconds });
    watcher.close();
    clearTimeout(pending);
    await gateway.shutdown(drainSeconds * 1000);
    log.log('info', 'stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  // Last: whoever waits for this line may signal at once, and a SIGTERM before its handler would kill, not drain.
  log.log('info', 'listening', {
    url: gateway.url,
    environment: gateway.ir.environment.name,
    // A count, not the names: at thousands of routes one line of names outgrows what log pipelines keep whole.
    routes: gateway.ir.routes.length,
  });
  return 0;
}

const code = await main(process.argv.slice(2));
if (code !== 0) process.exit(code);
