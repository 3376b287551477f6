// config.json checks at load: what would otherwise fail obscurely mid-request is refused up front.
import { describe, expect, it } from 'vitest';
import { sampleIR } from '../test/support/ir-fixture.ts';
import { ConfigError, parseConfig } from './config.ts';

const load = (value: unknown) => () => parseConfig(JSON.stringify(value), 'config.json');

describe('parseConfig', () => {
  it('accepts the IR the compiler writes', () => {
    const ir = sampleIR();
    expect(parseConfig(JSON.stringify(ir), 'config.json')).toEqual(ir);
  });

  it('refuses another IR version, saying how to fix it', () => {
    expect(load({ ...sampleIR(), irVersion: 1 })).toThrow(/irVersion 1; this gateway reads irVersion 3/);
  });

  it('refuses invalid JSON and dangling references', () => {
    expect(() => parseConfig('{', 'c.json')).toThrow(ConfigError);
    const ir = sampleIR();
    ir.routes[0].fallbacks.push({ provider: 'openai', model: 'gpt-9' });
    ir.prompts[0].route = 'nowhere';
    expect(load(ir)).toThrow(/openai\/gpt-9, which no provider serves.*route "nowhere"/);
  });

  it('refuses a grant of an MCP server the config does not declare', () => {
    const ir = sampleIR();
    ir.accessPolicies[0].mcp = {
      servers: [{ server: 'github', tools: ['*'], excludeTools: [], resources: [], prompts: [] }],
      redactArguments: false,
    };
    expect(load(ir)).toThrow(/grants MCP server "github", which does not exist/);
  });

  it('refuses two prompts exposed at one path', () => {
    const ir = sampleIR();
    const expose = { method: 'POST' as const, path: '/review', request: { type: 'object' } };
    ir.prompts.push({ ...ir.prompts[0]!, name: 'other', expose }, { ...ir.prompts[0]!, name: 'third', expose });
    expect(load(ir)).toThrow(/prompts "other" and "third" are both exposed at \/review/);
  });
});
