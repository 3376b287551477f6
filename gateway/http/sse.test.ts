// SSE splitting on bytes: the same events whatever the chunking, blank lines of every kind, characters cut in two.
import { describe, expect, it } from 'vitest';
import { eventData, eventNames, eventType, joinEvents, namedAs, parseEvent, SseSplitter } from './sse.ts';

const EVENTS = [
  'data: {"a":"héllo ✓"}\n\n',
  'event: x\r\ndata: 1\r\n\r\n',
  'data: 2\n\r\n',
  'data: 3\r\n\n',
  ': comment\n\n',
  'data: 😀\n\n',
];
const WIRE = Buffer.from(EVENTS.join(''));

const text = (events: Buffer[]) => events.map((e) => e.toString('utf8'));

function split(chunkSize: number): { events: string[]; rest: string[] } {
  const splitter = new SseSplitter();
  const events: Buffer[] = [];
  for (let i = 0; i < WIRE.length; i += chunkSize) events.push(...splitter.push(WIRE.subarray(i, i + chunkSize)));
  return { events: text(events), rest: text(splitter.end()) };
}

describe('SseSplitter', () => {
  it('cuts the same whole events whatever the chunk size, keeping multi-byte characters intact', () => {
    for (let size = 1; size <= WIRE.length; size++) expect(split(size), `chunks of ${size}`).toEqual({ events: EVENTS, rest: [] });
  });

  it('holds an unterminated event and hands it over at the end', () => {
    const splitter = new SseSplitter();
    expect(text(splitter.push(Buffer.from('data: 1\n\ndata: par')))).toEqual(['data: 1\n\n']);
    expect(text(splitter.push(Buffer.from('tial')))).toEqual([]);
    expect(text(splitter.end())).toEqual(['data: partial\n\n']);
  });

  it('does not take the blank line ending one event as the start of the next boundary', () => {
    const splitter = new SseSplitter();
    expect(text(splitter.push(Buffer.from('data: 1\n\n\n')))).toEqual(['data: 1\n\n']);
    expect(text(splitter.push(Buffer.from('data: 2\n\n')))).toEqual(['\ndata: 2\n\n']);
  });
});

describe('eventData', () => {
  it('reads the data parseEvent reads, from the bytes: one line, several, none, CRLF, no space, data: inside a line', () => {
    const events = [
      ...EVENTS,
      'event: message_start\ndata: {"type":"message_start","model":"m"}\n\n',
      'data: first\ndata: second\n\n',
      'data: a\r\nid: 7\r\ndata: b\r\n\r\n',
      'data:tight\n\n',
      'data:\n\n',
      'data: \r\n\r\n',
      'event: data: not this\ndata: this\n\n',
      'event: ping\n\n',
      'data: [DONE]',
    ];
    for (const event of events) expect([event, eventData(Buffer.from(event))]).toEqual([event, parseEvent(event).data]);
  });
});

describe('namedAs', () => {
  const NAMES = eventNames('message_start', 'error');
  it('finds the name on the event line as eventType reads it, and no other', () => {
    const events = [
      'event: message_start\ndata: {}\n\n',
      'event:message_start\r\ndata: {}\r\n\r\n',
      'event: error \n\n',
      'event: message_started\n\n',
      'event: message\n\n',
      'data: {"type":"message_start"}\n\n',
      'event: errors',
      'event',
    ];
    for (const event of events) {
      const bytes = Buffer.from(event);
      expect([event, namedAs(bytes, NAMES)]).toEqual([event, NAMES.findIndex((n) => n.toString() === eventType(bytes))]);
    }
  });
});

describe('joinEvents', () => {
  it('gives events cut from one chunk end to end as that chunk, without a copy, and others joined', () => {
    const chunk = Buffer.from('data: 1\n\ndata: 2\n\ndata: 3\n\n');
    const splitter = new SseSplitter();
    const events = splitter.push(chunk);
    const joined = joinEvents(events);
    expect(joined.toString()).toBe(chunk.toString());
    chunk[6] = 0x39; // a view of the chunk sees its bytes
    expect(joined.toString()).toBe('data: 9\n\ndata: 2\n\ndata: 3\n\n');
    expect(joinEvents([events[0], events[2]]).toString()).toBe('data: 9\n\ndata: 3\n\n');
    expect(joinEvents([Buffer.from('a'), Buffer.from('b')]).toString()).toBe('ab');
    expect(joinEvents([]).length).toBe(0);
  });
});
