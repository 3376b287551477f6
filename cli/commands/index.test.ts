import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../main.ts';
import { COMMANDS, commandsFor } from './index.ts';

const argv = (...args: string[]) => ['node', 'modelgate', ...args];

describe('COMMANDS', () => {
  it.each(Object.entries(COMMANDS))('"%s" loads the module that registers that command', async (name, load) => {
    const program = new Command('modelgate');
    (await load()).register(program);
    expect(program.commands.map((c) => c.name())).toEqual([name]);
  });
});

describe('commandsFor', () => {
  it("loads the named command's module alone, none for --version, every one for the help or an unknown name", async () => {
    expect(commandsFor(argv('validate', '.'))).toEqual([COMMANDS.validate]);
    expect(commandsFor(argv('verify-plan', 'out'))).toEqual([COMMANDS['verify-plan']]);
    expect(commandsFor(argv('--version'))).toEqual([]);
    expect(commandsFor(argv('-v'))).toEqual([]);
    for (const args of [argv(), argv('--help'), argv('help', 'build'), argv('valdate'), argv('toString')]) {
      expect(commandsFor(args)).toEqual(Object.values(COMMANDS));
    }
    const names = (await buildProgram(argv('plan', '.'))).commands.map((c) => c.name());
    expect(names).toEqual(['plan']);
  });
});
