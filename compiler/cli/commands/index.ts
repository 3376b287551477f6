// Every CLI command, each registered from its own module.
import type { Command } from 'commander';

export const COMMANDS: ((program: Command) => void)[] = [];
