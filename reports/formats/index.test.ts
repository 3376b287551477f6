import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { emitReport, emitReports } from './index.ts';
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
  it('writes the chosen format to --output; the terminal stays quiet and a notice names the file', () => {
    const out = terminal(true);
    const notices = terminal(false);
    const file = join(dir, 'reports', 'gl-code-quality.json');
    emitReport(SAMPLE, { format: 'codequality', output: file, filesChecked: SAMPLE_FILES, stream: out, notices, env: { NO_COLOR: '1' } });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(5);
    expect(out.text()).toBe('');
    expect(notices.text()).toBe(`modelgate: wrote ${file} (codequality). ✖ 3 errors, 1 warning, 1 info in 3 files, 1 suppressed\n`);
  });

  it('writes several formats from one set of findings, one of them to the terminal', () => {
    const out = terminal(false);
    const notices = terminal(false);
    const junit = join(dir, 'junit.xml');
    emitReports(SAMPLE, [{ format: 'text' }, { format: 'junit', file: junit }], { filesChecked: SAMPLE_FILES, stream: out, notices });
    expect(out.text()).toContain('✖ 3 errors');
    expect(readFileSync(junit, 'utf8')).toMatch(/^<\?xml/);
    expect(notices.text()).toBe('');
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

  it('makes CI report paths relative to the repository root, and text paths relative to the working directory', () => {
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    const config = join(repo, 'config');
    mkdirSync(config);
    const cwd = process.cwd();
    try {
      for (const [from, root] of [
        [repo, 'config'],
        [config, '.'],
        [cwd, config],
      ] as const) {
        process.chdir(from);
        const out = terminal(false);
        emitReport(SAMPLE, { format: 'codequality', root, stream: out });
        expect(JSON.parse(out.text())[0].location.path, `from ${from}`).toBe('config/access/payments.yaml');
        const sarif = terminal(false);
        emitReport(SAMPLE, { format: 'sarif', root, stream: sarif });
        expect(JSON.parse(sarif.text()).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
          'config/access/payments.yaml',
        );
      }
      process.chdir(config);
      const text = terminal(false);
      emitReport(SAMPLE, { format: 'text', root: '.', stream: text });
      expect(text.text()).toMatch(/^access\/payments\.yaml:/m);
    } finally {
      process.chdir(cwd);
    }
  });
});
