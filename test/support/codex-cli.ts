// Runs the real Codex CLI (`@openai/codex`, a devDependency) against a base URL, as a user configures it for a
// gateway: a custom provider with `wire_api = "responses"` in a scratch CODEX_HOME, the key in MODELGATE_API_KEY.
// Codex's own calls home (update checks, analytics, the plugin catalog) are switched off in that config, and every
// connection it still tried outside 127.0.0.1 would meet a local proxy that refuses it and says so in `outside`.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const CODEX = path.resolve('node_modules/@openai/codex/bin/codex.js');

/** Why Codex cannot run here (tests skip with this message), or undefined when it can. */
export const CODEX_MISSING: string | undefined = (() => {
  try {
    execFileSync(process.execPath, [CODEX, '--version'], { stdio: 'ignore', timeout: 30_000 });
    return undefined;
  } catch {
    return 'the Codex CLI (@openai/codex and its platform binary) is not installed: npm install; Codex CLI tests skipped';
  }
})();

export interface CodexRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Connections Codex tried to make outside 127.0.0.1 (all refused). */
  outside: string[];
}

export interface CodexOptions {
  /** The gateway's OpenAI base URL (`http://127.0.0.1:PORT/v1`). */
  baseURL: string;
  apiKey: string;
  /** A route of the gateway, or an alias of one. */
  model: string;
  prompt: string;
  /** Files of the workspace Codex works in, by name. */
  files?: Record<string, string>;
  timeoutMs?: number;
}

/** `codex exec` with a one-shot prompt, in a scratch workspace (read-only sandbox) and home, both removed after. */
export async function runCodex(o: CodexOptions): Promise<CodexRun> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'modelgate-codex-'));
  const home = path.join(scratch, 'home');
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(home);
  fs.mkdirSync(workspace);
  for (const [name, text] of Object.entries(o.files ?? {})) fs.writeFileSync(path.join(workspace, name), text);
  fs.writeFileSync(path.join(home, 'config.toml'), config(o));
  const guard = await refusingProxy();
  try {
    const child = spawn(
      process.execPath,
      [CODEX, 'exec', '--skip-git-repo-check', '--ephemeral', '--sandbox', 'read-only', '-C', workspace, o.prompt],
      {
        env: { PATH: process.env.PATH ?? '', HOME: home, CODEX_HOME: home, MODELGATE_API_KEY: o.apiKey, ...guard.env },
        // Codex reads a prompt from an open stdin until it closes.
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    return { code, stdout, stderr, outside: guard.attempts };
  } finally {
    await guard.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function config(o: CodexOptions): string {
  return `model = "${o.model}"
model_provider = "modelgate"
check_for_update_on_startup = false

[model_providers.modelgate]
name = "modelgate"
base_url = "${o.baseURL}"
env_key = "MODELGATE_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0

[analytics]
enabled = false

[features]
plugins = false
`;
}

/** An HTTP proxy on 127.0.0.1 that refuses and records every connection, with the environment that points Codex at it. */
async function refusingProxy(): Promise<{ env: Record<string, string>; attempts: string[]; close(): Promise<void> }> {
  const attempts: string[] = [];
  const server = http.createServer((req, res) => {
    attempts.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  server.on('connect', (req: http.IncomingMessage, socket: Socket) => {
    attempts.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    env: { HTTPS_PROXY: url, HTTP_PROXY: url, ALL_PROXY: url, NO_PROXY: '127.0.0.1,localhost' },
    attempts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
