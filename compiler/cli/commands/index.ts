// Every CLI command, each registered from its own module.
import type { Command } from 'commander';
import { register as graph } from './graph.ts';
import { register as init } from './init.ts';
import { register as schema } from './schema.ts';
import { register as validate } from './validate.ts';

export const COMMANDS: ((program: Command) => void)[] = [validate, graph, schema, init];
