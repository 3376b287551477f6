// Which routes and prompts an access policy grants. The IR keeps a policy's grants as written, `*` included (every
// route or prompt of the config), so that a policy granting everything does not grow with the repo; everything
// that needs the names (the gateway at load, the targets, the reports) reads them here, the one place that
// expands `*`. Structurally typed, so that the bundled gateway can import it without the compiler.

/** The grant of every route (in `routes`) or every prompt (in `prompts`); the IR then lists nothing else. */
export const EVERY = '*';

/** Whether a policy's `routes` or `prompts` is `*`. */
export function grantsEvery(granted: readonly string[]): boolean {
  return granted.length === 1 && granted[0] === EVERY;
}

/** Whether `granted` grants `name`, which must be one of the config's routes (or prompts). */
export function grants(granted: readonly string[], name: string): boolean {
  return grantsEvery(granted) || granted.includes(name);
}

/** The names `granted` stands for: `*` expanded to `all`'s names in `all`'s order, as the compiler used to write it. */
export function grantedNames(granted: readonly string[], all: readonly { name: string }[]): readonly string[] {
  return grantsEvery(granted) ? all.map((x) => x.name) : granted;
}
