// Finding and replacing members in JSON bytes: only the member asked for, at its depth, whatever surrounds it.
import { describe, expect, it } from 'vitest';
import { uniqueMembers, valueRange, ModelNamer, withValue } from './json-fields.ts';

const at = (json: string, path: string[]) => {
  const b = Buffer.from(json);
  const range = valueRange(b, 0, path);
  return range && b.toString('utf8', ...range);
};

describe('valueRange', () => {
  it('finds a top-level member past strings, nested objects and arrays that hold the same key', () => {
    const json = '{"content":[{"type":"tool_use","input":{"model":"fake"}}],"note":"\\"model\\":\\"x\\"", "model" : "claude-x","n":1}';
    expect(at(json, ['model'])).toBe('"claude-x"');
    expect(at(json, ['n'])).toBe('1');
    expect(at(json, ['missing'])).toBeUndefined();
  });

  it('descends a path, and gives up on what is not a well-formed object', () => {
    expect(at('{"type":"message_start","message":{"id":"m","model":"c"}}', ['message', 'model'])).toBe('"c"');
    expect(at('[{"model":"x"}]', ['model'])).toBeUndefined();
    expect(at('{"model":"unterminated', ['model'])).toBeUndefined();
    expect(at('{}', ['model'])).toBeUndefined();
    // A key written with escapes is not recognised: callers then re-encode or leave the bytes alone.
    expect(at('{"mod\\u0065l":"x"}', ['model'])).toBeUndefined();
  });
});

describe('withValue', () => {
  it('replaces only the value, keeping every other byte; returns the same buffer when nothing changes', () => {
    const b = Buffer.from('{ "id": "x",\n  "model":"gpt-4o",  "extra": {"model": "keep"} }');
    expect(withValue(b, 0, ['model'], '"chat"').toString()).toBe('{ "id": "x",\n  "model":"chat",  "extra": {"model": "keep"} }');
    expect(withValue(b, 0, ['model'], '"gpt-4o"')).toBe(b);
    expect(withValue(Buffer.from('{"model":"é"}'), 0, ['model'], '"é"').toString()).toBe('{"model":"é"}');
  });
});

describe('uniqueMembers', () => {
  it('gives each key once (none for a missing one), or nothing when one is doubled (a smuggled second value)', () => {
    const b = Buffer.from('{"model":"r","max_tokens":10,"messages":[{"model":"m"}]}');
    expect(uniqueMembers(b, ['model', 'max_tokens'])?.map((r) => r && b.toString('utf8', ...r))).toEqual(['"r"', '10']);
    expect(uniqueMembers(Buffer.from('{"model":"r","model":"claude-opus","max_tokens":1}'), ['model', 'max_tokens'])).toBeUndefined();
    expect(uniqueMembers(Buffer.from('{"model":"r"}'), ['model', 'max_tokens'])).toEqual([[9, 12], undefined]);
    expect(uniqueMembers(Buffer.from('{"model":"r",}'), ['model'])).toBeUndefined();
    expect(uniqueMembers(Buffer.from(' {} '), ['model'])).toBeUndefined();
  });
});

describe('ModelNamer', () => {
  it('renames the model of every event, whatever its data holds', () => {
    const event = (content: string) =>
      `data: {"id":"c","model":"gpt-4o-mini","choices":[{"delta":{"content":${JSON.stringify(content)}}}]}\n\n`;
    const sse = `${event('{"model":"x"}')}${event('b')}data: [DONE]\n\n`;
    const renamed = sse.replaceAll('"model":"gpt-4o-mini"', '"model":"chat"');
    expect(new ModelNamer('"chat"').rename(Buffer.from(sse)).toString()).toBe(renamed);
    const named = Buffer.from(renamed);
    expect(new ModelNamer('"chat"').rename(named)).toBe(named);
    expect(new ModelNamer('"é"').rename(Buffer.from(`${event('a')}event: x\ndata: {"type":"ping"}\n\n`)).toString()).toBe(
      `${event('a').replace('gpt-4o-mini', 'é')}event: x\ndata: {"type":"ping"}\n\n`,
    );
  });

  it('renames each event of a stream as a fresh scan would, when its members before model change or not', () => {
    const events = [
      'data: {"id":"c1","created":1,"model":"gpt-4o-mini","choices":[]}\n\n',
      'data: {"id":"c1","created":1,"model":"gpt-4o-mini","choices":[{"delta":{"content":"a"}}]}\n\n',
      // The same bytes up to a shorter value: a prefix of the last one's, not its member.
      'data: {"id":"c1","created":1,"model":"gpt-4o","choices":[]}\n\n',
      'data: {"id":"c22","created":1,"model":"gpt-4o-mini","choices":[]}\n\n',
      'data: {"id":"c22","created":1,"x":{"model":"inner"},"model":"chat"}\n\n',
      'data: {"id":"c22","created":1,"model":123}\n\ndata: {"id":"c22","created":1,"model":1234}\n\n',
      'data: {"id":"c22","created":1,"model":"gpt-4o-mini"',
      'data: {"id":"c22","created":1}\n\ndata: [DONE]\n\n',
    ];
    const namer = new ModelNamer('"chat"');
    for (const e of events)
      expect(namer.rename(Buffer.from(e)).toString()).toBe(new ModelNamer('"chat"').rename(Buffer.from(e)).toString());
    expect(namer.rename(Buffer.from(events[1]!)).toString()).toBe(events[1]!.replace('"gpt-4o-mini"', '"chat"'));
    expect(namer.rename(Buffer.from(events[5]!)).toString()).toBe(events[5]!.replace(':123}', ':"chat"}').replace(':1234}', ':"chat"}'));
  });
});
