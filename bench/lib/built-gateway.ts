// A config repo built with `modelgate build --target node` and its bundle started on a free port of 127.0.0.1, in
// a process group the caller ends: what the hand-run bench cells measure.
import { join, resolve } from 'node:path';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GATEWAY_NODE_FLAGS } from '../../targets/node/node-flags.ts';
import { freePort, type ProcessGroup, type Started, waitForHttp } from './processes.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const START_TIMEOUT_MS = 20_000;

export interface BuiltGateway {
  port: number;
  gateway: Started;
  /** The build's config.json, which another bundle (`startGatewayBundle`) can serve too. */
  config: string;
}

/**
 * Builds `configDir` for `environment` into `scratch/out` and starts the gateway with `env`; resolves once it answers.
 * `profileDir`: the gateway writes a `--cpu-prof` profile there (sampled every 200 µs) when it stops (read it with
 * bench/profile-summary.ts).
 */
export async function startBuiltGateway(
  group: ProcessGroup,
  scratch: string,
  configDir: string,
  environment: string,
  env: Record<string, string>,
  profileDir?: string,
): Promise<BuiltGateway> {
  const out = join(scratch, 'out');
  const build = group.start(
    'modelgate build',
    process.execPath,
    ['bin/modelgate.mjs', 'build', configDir, '--env', environment, '--target', 'node', '--out', out],
    { cwd: ROOT },
  );
  const status = build.child.exitCode ?? (await new Promise((r) => build.child.on('close', r)));
  if (status !== 0) throw new Error(`modelgate build exited ${status}: ${build.reason()}`);
  const config = join(out, 'node/config.json');
  return { ...(await startGatewayBundle(group, scratch, join(out, 'node/gateway.mjs'), config, env, profileDir)), config };
}

/** Starts `bundle` (this build's gateway.mjs or another's, e.g. a baseline) on `config`; resolves once it answers. */
export async function startGatewayBundle(
  group: ProcessGroup,
  scratch: string,
  bundle: string,
  config: string,
  env: Record<string, string>,
  profileDir?: string,
): Promise<{ port: number; gateway: Started }> {
  const port = await freePort();
  const args = [bundle, '--config', config, '--host', '127.0.0.1', '--port', String(port)];
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-interval', '200', '--cpu-prof-dir', profileDir] : [];
  const gateway = group.start('modelgate', process.execPath, [...GATEWAY_NODE_FLAGS, ...profile, ...args], { cwd: scratch, env });
  await waitForHttp(gateway, `http://127.0.0.1:${port}/healthz`, START_TIMEOUT_MS);
  return { port, gateway };
}
