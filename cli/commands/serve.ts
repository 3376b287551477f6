// `modelgate serve`: compile one environment in memory and run the Node gateway on it, with in-memory stores,
// recompiling when the config repo changes. For local development: the production path is `build` + gateway.mjs.
import fs from 'node:fs';
import { type Command, Option } from 'commander';
import type { IR, IRStore } from '../../compiler/ir/types.ts';
import { hasErrors } from '../../kernel/diagnostics.ts';
import { compileProject, type CompileResult } from '../../pipeline/compile.ts';
import { emitReport } from '../../reports/formats/index.ts';
import { SCHEMA_DEFAULTS } from '../../schema/values.ts';
import type { Gateway } from '../../gateway/gateway.ts';
import { setExitCode } from '../command.ts';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../exit-codes.ts';
import { addProjectOptions, checkedRoot } from '../project-options.ts';

const RECOMPILE_DEBOUNCE_MS = 300;

interface ServeOptions {
  env?: string;
  port?: number;
  host: string;
  watch: boolean;
  maxFileBytes: number;
}

export function register(program: Command): void {
  addProjectOptions(
    program
      .command('serve')
      .description('run the Node gateway locally on a config repo (in-memory stores, recompiles on change)')
      .option('-e, --env <name>', 'environment to serve (required when the repo declares environments)')
      .addOption(new Option('-p, --port <port>', "listen port (default: the Gateway's listen.port)").argParser(port))
      .option('--host <host>', 'listen address', '127.0.0.1')
      .option('--no-watch', 'do not recompile when files change')
      .addHelpText(
        'after',
        `
Credentials are read from the environment (env: and k8s: references) or files (file: references), as the
built gateway does. Usage lines go to stdout, operational logs to stderr. Ctrl-C drains and stops.

Examples:
  $ OPENAI_API_KEY=... modelgate serve fixtures/acme --env dev
  $ modelgate serve . --env dev --port 9000 --no-watch`,
      ),
  ).action(async (dir: string, opts: ServeOptions, command: Command) => {
    const root = checkedRoot(dir);
    const compile = () => compileProject(root, { env: opts.env, maxFileBytes: opts.maxFileBytes });
    const ir = compiled(compile(), root, opts.env);
    if (!ir) return setExitCode(command, EXIT_FINDINGS);
    // Loaded here: the runtime (prom-client, ioredis) would add half a second to every other command's start.
    const { startGateway } = await import('../../gateway/gateway.ts');
    const { openUsageLog } = await import('../../gateway/usage-log.ts');
    let gateway: Gateway;
    try {
      gateway = await startGateway({ ir: withMemoryStores(ir), host: opts.host, port: opts.port, usageLog: openUsageLog('stdout') });
    } catch (err) {
      process.stderr.write(`modelgate: cannot start the gateway: ${(err as Error).message}\n`);
      return setExitCode(command, EXIT_FINDINGS);
    }
    process.stderr.write(describeGateway(gateway.ir, gateway.url));
    const watcher = opts.watch ? watchAndReload(root, () => compiled(compile(), root, opts.env), gateway) : undefined;
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.stderr.write('modelgate: draining and stopping\n');
        watcher?.close();
        void gateway.shutdown(5_000).then(resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    setExitCode(command, EXIT_OK);
  });
}

/** The IR, or undefined after printing why there is none. */
function compiled(result: CompileResult, root: string, env: string | undefined): IR | undefined {
  const files = result.files.map((f) => f.path);
  if (result.diagnostics.length) emitReport(result.diagnostics, { root, format: 'text', filesChecked: files, stream: process.stderr });
  if (hasErrors(result.diagnostics)) return undefined;
  if (!result.ir) {
    const names = result.environments.map((e) => e.environment.name).join(', ');
    throw new UsageError(
      env ? `environment "${env}" did not compile.` : `this config declares environments (${names}): choose one with --env.`,
    );
  }
  return result.ir;
}

/** Local runs keep limits and cache in memory, whatever the config says about Redis. */
function withMemoryStores(ir: IR): IR {
  const memory = (s: IRStore, at: 'spec.stores.limits' | 'spec.stores.cache'): Extract<IRStore, { type: 'memory' }> =>
    s.type === 'memory' ? s : { type: 'memory', maxEntries: SCHEMA_DEFAULTS.Gateway[`${at}.maxEntries`] };
  const { limits, cache } = ir.gateway.stores;
  const stores = { limits: memory(limits, 'spec.stores.limits'), cache: memory(cache, 'spec.stores.cache') };
  return { ...ir, gateway: { ...ir.gateway, stores } };
}

function watchAndReload(root: string, recompile: () => IR | undefined, gateway: Gateway): fs.FSWatcher {
  let pending: NodeJS.Timeout | undefined;
  const reload = () => {
    try {
      const ir = recompile();
      if (!ir) return void process.stderr.write('modelgate: the config has errors; the gateway keeps the previous one.\n');
      gateway.reload(withMemoryStores(ir));
      process.stderr.write(`modelgate: reloaded (${ir.routes.length} routes, ${ir.prompts.length} prompts)\n`);
    } catch (err) {
      process.stderr.write(`modelgate: reload refused, the previous config keeps serving: ${(err as Error).message}\n`);
    }
  };
  return fs.watch(root, { recursive: true, persistent: false }, (_event, file) => {
    if (file && !/\.ya?ml$/.test(file)) return;
    clearTimeout(pending);
    pending = setTimeout(reload, RECOMPILE_DEBOUNCE_MS);
  });
}

/** What a developer needs to start calling the gateway. */
function describeGateway(ir: IR, url: string): string {
  const lines = [
    `modelgate serve: environment ${ir.environment.name} on ${url} (in-memory stores)`,
    '',
    'Routes ("model" in /v1/chat/completions and /v1/embeddings):',
  ];
  const width = Math.max(...ir.routes.map((r) => r.name.length), ...ir.prompts.map((p) => p.name.length));
  for (const r of ir.routes) {
    const targets = r.targets.map((t) => `${t.provider}/${t.model} ${t.weight}%`).join(', ');
    const fallbacks = r.fallbacks.length ? `; fallbacks ${r.fallbacks.map((f) => `${f.provider}/${f.model}`).join(', ')}` : '';
    lines.push(`  ${r.name.padEnd(width)}  ${r.type.padEnd(10)}  ${targets}${fallbacks}`);
  }
  if (ir.prompts.length) {
    lines.push('', 'Prompts (POST /v1/prompts/<name>):');
    for (const p of ir.prompts) {
      const api = p.expose ? `; also ${p.expose.method} ${p.expose.path}${p.expose.response ? ' (JSON)' : ''}` : '';
      lines.push(`  ${p.name.padEnd(width)}  on ${p.route}, ${p.serve.map((s) => `${s.version} ${s.weight}%`).join(', ')}${api}`);
    }
  }
  const { metrics } = ir.gateway;
  lines.push('', `Also: GET /v1/models, /openapi.json, /healthz, /readyz${metrics.enabled ? `, ${metrics.path}` : ''}. Ctrl-C stops.`, '');
  return lines.join('\n');
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port must be a port number (0-65535), got "${value}".`);
  return n;
}
