// Starts a real, throw-away redis-server on 127.0.0.1 for tests: no persistence, its own temp dir.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** SIGKILLs the server (an outage: connections drop at once); `restart` brings it back on the same port. */
  kill(): Promise<void>;
  /** Starts a fresh, empty server on the same port; resolves when it answers PING. */
  restart(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;

/** Whether `redis-server` is on PATH (CI installs it with apt-get); tests skip with this message otherwise. */
export const redisServerAvailable = ((): boolean => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
export const REDIS_MISSING = 'redis-server is not installed (apt-get install -y redis-server); Redis tests skipped';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function startOnce(port: number, dir: string): Promise<ChildProcess | undefined> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--logfile', ''];
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await ping(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  await exited(child);
  return undefined;
}

/** Starts redis-server on a free port (retrying if another process takes the port first) and waits for PING. */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-redis-'));
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    let child = await startOnce(port, dir);
    if (!child) continue;
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      async kill() {
        child!.kill('SIGKILL');
        await exited(child!);
      },
      async restart() {
        const next = await startOnce(port, dir);
        if (!next) throw new Error(`redis-server did not restart on 127.0.0.1:${port}`);
        child = next;
      },
      async stop() {
        child!.kill('SIGTERM');
        const killer = setTimeout(() => child!.kill('SIGKILL'), 5000);
        await exited(child!);
        clearTimeout(killer);
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  throw new Error('redis-server did not answer PING on 127.0.0.1 after 3 attempts');
}

/**
 * For a describe block: starts one server before its tests; after them closes every client given to
 * `track`, then stops the server.
 */
export function useRedisServer(): { url: () => string; track: <T extends { close(): Promise<unknown> }>(client: T) => T } {
  let server: RedisServer | undefined;
  const clients: { close(): Promise<unknown> }[] = [];
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server?.stop();
  });
  return {
    url: () => server!.url,
    track: (client) => {
      clients.push(client);
      return client;
    },
  };
}
