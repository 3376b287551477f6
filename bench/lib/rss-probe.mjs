// Preloaded with `node --import` when GNU time is missing: appends this process's peak RSS (KiB) to a file.
import { appendFileSync } from 'node:fs';

const file = process.env.MODELGATE_BENCH_RSS_FILE;
if (file) process.on('exit', () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
