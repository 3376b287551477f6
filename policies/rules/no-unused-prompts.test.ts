import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { noUnusedPrompts } from './no-unused-prompts.ts';

const prompt = (name: string) => doc('Prompt', name, 'route: chat\nversions: {v1: {messages: [{role: user, content: hi}]}}\nserve: [{version: v1}]');
const access = (prompts: string) => doc('AccessPolicy', 'apps', `subjects: {consumers: [app]}\nprompts: ${prompts}`);

describe('no-unused-prompts', () => {
  it('accepts prompts granted by name or by `*`', () => {
    expect(findings(noUnusedPrompts, prompt('a') + access('[a]'))).toEqual([]);
    expect(findings(noUnusedPrompts, prompt('a') + prompt('b') + access('["*"]'))).toEqual([]);
  });

  it('flags a prompt nobody may call', () => {
    expect(findings(noUnusedPrompts, prompt('a') + prompt('b') + access('[a]')).map((f) => f.resource)).toEqual(['Prompt/b']);
  });
});
