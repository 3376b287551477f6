// Small helpers the bench entry points share.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** True when the module at `moduleUrl` is the script node was started with (not an import). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(realpathSync(entry)).href === moduleUrl;
}

/** The line of a command's output that best says what went wrong: the first naming an error, else the last. */
export function reasonLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /\berror\b/i.test(l)) ?? lines.at(-1) ?? '(no output)';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
