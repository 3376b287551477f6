// Preloaded with `node --import` when GNU time is missing: appends this process's peak RSS (KiB) and CPU time
// (user + system, µs) to a file.
import { appendFileSync } from 'node:fs';

const file = process.env.MODELGATE_BENCH_RSS_FILE;
if (file)
  process.on('exit', () => {
    const usage = process.resourceUsage();
    appendFileSync(file, `${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}\n`);
  });
