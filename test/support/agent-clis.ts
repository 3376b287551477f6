// The real agent CLIs, run offline against a base URL on 127.0.0.1: Claude Code (Anthropic Messages). Each gets
// a scratch home, so no user config, login or update check is involved, and stdin closed, since they wait for
// piped input otherwise.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Each CLI's npm package and the script node runs. */
const CLIS = {
  // Claude Code's npm postinstall (not approved here) would link the native binary; its wrapper finds it without.
  claude: { pkg: '@anthropic-ai/claude-code', script: join(ROOT, 'node_modules/@anthropic-ai/claude-code/cli-wrapper.cjs') },
};

export interface AgentRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface AgentOptions {
  /** The gateway's origin. */
  baseUrl: string;
  apiKey: string;
  /** The model id the CLI sends. */
  model: string;
  prompt: string;
  /** The workspace the agent runs in (its tools read files here). */
  cwd: string;
  timeoutMs?: number;
}

/** Why a CLI cannot run here, or undefined when it can. */
export function agentCliMissing(cli: keyof typeof CLIS): string | undefined {
  const { pkg, script } = CLIS[cli];
  return existsSync(script) ? undefined : `${pkg} is not installed (${script})`;
}

export function runClaudeCode(o: AgentOptions): Promise<AgentRun> {
  const home = mkdtempSync(join(tmpdir(), 'mg-claude-home-'));
  // --bare: a scripted one-shot run skips hooks, plugin sync, auto-memory, CLAUDE.md discovery and background
  // prefetches (none of which reach the gateway): a sixth less CPU per run.
  return run(CLIS.claude.script, ['--bare', '-p', o.prompt, '--output-format', 'json', '--model', o.model], o, {
    HOME: home,
    ANTHROPIC_BASE_URL: o.baseUrl,
    ANTHROPIC_API_KEY: o.apiKey,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
  }).finally(() => rmSync(home, { recursive: true, force: true }));
}

function run(script: string, args: string[], o: AgentOptions, env: Record<string, string>): Promise<AgentRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: o.cwd,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: o.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
