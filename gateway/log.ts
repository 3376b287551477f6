// Operational log: JSON lines on stderr (stdout may carry the usage log). Never given a credential or a prompt.

export type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface Logger {
  level: Level;
  log(level: Level, msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: Level, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  return {
    level,
    log(at, msg, fields) {
      if (RANK[at] < RANK[this.level]) return;
      write(`${JSON.stringify({ ts: new Date().toISOString(), level: at, msg, ...fields })}\n`);
    },
  };
}
