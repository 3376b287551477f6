import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { measureProcess } from './measure.ts';
import { ProcessGroup, waitForLine } from './processes.ts';

let group: ProcessGroup;

function processState(pid: number): string {
  try {
    return /^\d+ \(.*\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'gone';
  }
}
afterEach(() => group?.dispose());

const node = (code: string) => ({ command: process.execPath, args: ['-e', code], cwd: process.cwd() });

describe('bench/lib processes', () => {
  it('ends every process it started, including grandchildren in the same process group', async () => {
    group = new ProcessGroup();
    const parent = group.start(
      'parent',
      process.execPath,
      [
        '-e',
        `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log('child ' + child.pid);
      setInterval(() => {}, 1000);
    `,
      ],
      { cwd: process.cwd() },
    );
    const grandchild = Number(await waitForLine(parent, /child (\d+)/, 10_000));
    const exited = new Promise((resolve) => parent.child.on('exit', (_code, signal) => resolve(signal)));
    group.stopAll();
    expect(await exited).toBe('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    expect(['gone', 'Z']).toContain(processState(grandchild)); // ended (a zombie until init reaps it)
  });

  it('measures wall time, exit code and peak RSS, and says why a command failed without the diff noise', async () => {
    group = new ProcessGroup();
    const sample = await measureProcess(
      node(`
        console.log('+  - gateway-error');
        console.log('1 error stops prod from building:');
        console.log('  prod.yaml:23:13 target-invalid: too big');
        process.exit(1);
      `),
      20_000,
      group,
    );
    expect(sample).toMatchObject({
      code: 1,
      timedOut: false,
      reason: '1 error stops prod from building: prod.yaml:23:13 target-invalid: too big',
    });
    expect(sample.wallMs).toBeGreaterThan(0);
    expect(sample.maxRssKb).toBeGreaterThan(10_000); // a Node process holds tens of MB
    expect(sample.cpuMs).toBeGreaterThan(0);
    expect(sample.cpuMs).toBeLessThan(sample.wallMs * 4); // at most every core of a small machine, all the time
  });

  it('kills a command that overruns its timeout and reports it', async () => {
    group = new ProcessGroup();
    const sample = await measureProcess(node('setInterval(() => {}, 1000)'), 500, group);
    expect(sample.timedOut).toBe(true);
    expect(sample.code).not.toBe(0);
  });
});
