// What tells a resource apart from every other across processes: the findings on it depend on its content and on
// where its nodes are in the source text, so its key names the text of its file (and, for a resource an
// environment overlay patched, the overlay's text and the patched value).
import { createHash } from 'node:crypto';
import type { SourceFile } from '../compiler/load/load-project.ts';
import type { AnyResource } from '../kernel/resource.ts';

/** Keys of the resources of one compile: `base` are the resources as loaded, `env` the overlay applied. */
export function contentKeys(
  files: readonly SourceFile[],
  base: ReadonlySet<AnyResource>,
  env: AnyResource | undefined,
): (resource: AnyResource) => string {
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const fileKeys = new Map<string, string>();
  const fileKey = (path: string): string => {
    let key = fileKeys.get(path);
    if (key === undefined) fileKeys.set(path, (key = sha256(`${path}\0${texts.get(path)}`)));
    return key;
  };
  const overlay = env ? `${fileKey(env.file)}\0${env.docIndex}` : '';
  const keys = new WeakMap<AnyResource, string>();
  return (r) => {
    let key = keys.get(r);
    if (key === undefined) {
      const source = `${fileKey(r.file)}\0${r.docIndex}\0${r.id}`;
      // A resource whose text is not at hand (made by a caller, not loaded) is told by its value.
      const loaded = base.has(r) && texts.has(r.file);
      keys.set(r, (key = sha256(loaded ? source : `${source}\0${overlay}\0${JSON.stringify(r.value)}`)));
    }
    return key;
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}
