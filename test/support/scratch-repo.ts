// A scratch git repository holding a copy of fixtures/acme, committed on main: the base that plan, approvals
// and verify-plan tests change on top of.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ACME = fileURLToPath(new URL('../../fixtures/acme/', import.meta.url));

export function acmeRepo(prefix: string): { dir: string; git: (...args: string[]) => string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(ACME, dir, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '-A');
  git('-c', 'user.name=Dana Kim', '-c', 'user.email=dana.kim@acme.example', 'commit', '--quiet', '-m', 'Gateway config');
  return { dir, git };
}
