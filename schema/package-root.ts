// The package's root directory. The CLI also runs as one bundled file (dist/), where every module shares the
// bundle's location, so files that ship with the package are found from the root, not from the module.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'modelgate';

function findRoot(from: string): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) throw new Error(`modelgate's package.json was not found above ${from}`);
  }
}

export const PACKAGE_ROOT: string = findRoot(fileURLToPath(import.meta.url));
