import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { emitReport } from './index.ts';
import { SAMPLE, SAMPLE_FILES } from '../../test/support/sample-diagnostics.ts';

function terminal(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { isTTY, text: () => chunks.join('') });
}

const dir = mkdtempSync(join(tmpdir(), 'modelgate-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('emitReport', () => {
  it('writes the chosen format to --output and the text report to the terminal', () => {
    const out = terminal(true);
    const file = join(dir, 'reports', 'gl-code-quality.json');
    emitReport(SAMPLE, { format: 'codequality', output: file, filesChecked: SAMPLE_FILES, stream: out, env: { NO_COLOR: '1' } });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(5);
    expect(out.text()).toContain('✖ 3 errors, 1 warning, 1 info in 3 files, 1 suppressed');
    expect(out.text()).not.toContain('\x1b[');
  });

  it('colours text on a TTY without NO_COLOR, and never machine formats', () => {
    const tty = terminal(true);
    emitReport(SAMPLE, { format: 'text', stream: tty, env: {} });
    expect(tty.text()).toContain('\x1b[31m');
    const json = terminal(true);
    emitReport(SAMPLE, { format: 'json', stream: json, env: {} });
    expect(JSON.parse(json.text()).diagnostics).toHaveLength(SAMPLE.length);
    const piped = terminal(false);
    emitReport(SAMPLE, { format: 'text', stream: piped, env: {} });
    expect(piped.text()).not.toContain('\x1b[');
  });

  it('makes CI report paths relative to the working directory when the config root is a subfolder', () => {
    const out = terminal(false);
    emitReport(SAMPLE, { format: 'codequality', root: join(process.cwd(), 'config'), stream: out });
    expect(JSON.parse(out.text())[0].location.path).toBe('config/access/payments.yaml');
  });
});
