// A config repo built with `modelgate build --target node` and its bundle started on a free port of 127.0.0.1, in
// a process group the caller ends: what the hand-run bench cells measure.
import { join, resolve } from 'node:path';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GATEWAY_NODE_FLAGS } from '../../targets/node/node-flags.ts';
import { freePort, type ProcessGroup, type Started, waitForHttp } from './processes.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const START_TIMEOUT_MS = 20_000;

/** Builds `configDir` for `environment` into `scratch/out` and starts the gateway with `env`; resolves once it answers. */
export async function startBuiltGateway(
  group: ProcessGroup,
  scratch: string,
  configDir: string,
  environment: string,
  env: Record<string, string>,
): Promise<{ port: number; gateway: Started }> {
  const out = join(scratch, 'out');
  const build = group.start(
    'modelgate build',
    process.execPath,
    ['bin/modelgate.mjs', 'build', configDir, '--env', environment, '--target', 'node', '--out', out],
    { cwd: ROOT },
  );
  const status = build.child.exitCode ?? (await new Promise((r) => build.child.on('close', r)));
  if (status !== 0) throw new Error(`modelgate build exited ${status}: ${build.reason()}`);
  const port = await freePort();
  const args = [join(out, 'node/gateway.mjs'), '--config', join(out, 'node/config.json'), '--host', '127.0.0.1', '--port', String(port)];
  const gateway = group.start('modelgate', process.execPath, [...GATEWAY_NODE_FLAGS, ...args], { cwd: scratch, env });
  await waitForHttp(gateway, `http://127.0.0.1:${port}/healthz`, START_TIMEOUT_MS);
  return { port, gateway };
}
