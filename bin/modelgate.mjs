#!/usr/bin/env node
// Entry point for `npx modelgate`: the CLI bundled by `npm run build:cli` (run by `npm ci` through `prepare`)
// when it matches the sources, else the TypeScript sources through tsx's loader (no build step needed).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshBundle } from '../kernel/prebuilt.mjs';

const bundle = freshBundle(fileURLToPath(new URL('..', import.meta.url)));
let main;
if (bundle) {
  ({ main } = await import(pathToFileURL(bundle).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
process.exitCode = await main(process.argv);
