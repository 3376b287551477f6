// Every CLI command, each registered from its own module.
import type { Command } from 'commander';
import { register as validate } from './validate.ts';

export const COMMANDS: ((program: Command) => void)[] = [validate];
