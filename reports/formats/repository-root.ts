// The repository a config root is in. GitLab matches report paths (Code Quality, SARIF, JUnit) against the
// repository's files, so those paths are relative to the repository root wherever the command runs: from
// the repository root with `config/` as the root, or from inside `config/` with `.` as the root alike.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** The nearest folder at or above `dir` that holds `.git` (a folder, or a file in a worktree), if any. */
export function repositoryRoot(dir: string): string | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return at;
    if (dirname(at) === at) return undefined;
  }
}

/** The config root's path inside its repository (`''` at the top); outside one, from the working directory. */
export function repositoryPrefix(root: string): string {
  const absolute = resolve(root);
  return relative(repositoryRoot(absolute) ?? process.cwd(), absolute)
    .split(sep)
    .join('/');
}
