// The response parser on tables of wire bytes: what it reads of valid responses in every framing, cut at every
// byte, and what it refuses (each refusal closes the connection and fails the exchange as `reset`).
import { describe, expect, it } from 'vitest';
import { generateResponse, parsePieces, random, split } from '../../test/support/http1-responses.ts';
import { HttpParseError, ResponseHead } from './response-head.ts';
import { MAX_HEAD_BYTES, ResponseParser } from './response-parser.ts';

const wire = (text: string) => Buffer.from(text, 'latin1');
const parse = (text: string, o: { noBody?: boolean } = {}) => parsePieces([wire(text)], o);

describe('valid responses', () => {
  it.each([
    ['Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello', 200, 'hello'],
    ['Content-Length 0', 'HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n', 200, ''],
    ['chunked', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1\r\n!\r\n0\r\n\r\n', 200, 'hello!'],
    [
      'chunked, hex sizes in either case',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\nA\r\nabcdefghij\r\n0\r\n\r\n',
      200,
      '0123456789abcdefghij',
    ],
    ['chunk extensions', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;a=b;c="d e"\r\nok\r\n0;last\r\n\r\n', 200, 'ok'],
    ['trailers', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nx-checksum: 1\r\nx-other:two\r\n\r\n', 200, 'ok'],
    ['codings before chunked', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n', 200, 'z'],
    ['close-delimited', 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end', 200, 'until the end'],
    ['HTTP/1.0 close-delimited', 'HTTP/1.0 200 OK\r\n\r\nold', 200, 'old'],
    ['204 with no body', 'HTTP/1.1 204 No Content\r\n\r\n', 204, ''],
    ['304 ignores its Content-Length', 'HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n', 304, ''],
    ['an interim 100 skipped', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', 200, 'ok'],
    [
      'interim 103 answers with headers skipped',
      'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx',
      201,
      'x',
    ],
    ['no reason phrase', 'HTTP/1.1 503\r\nContent-Length: 0\r\n\r\n', 503, ''],
  ])('%s', (_what, text, status, body) => {
    expect(parse(text)).toMatchObject({ status, body });
  });

  it('reads no body for a HEAD request whatever the headers say', () => {
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', { noBody: true })).toMatchObject({ status: 200, body: '' });
  });

  it('keeps headers in order as sent, values without surrounding whitespace, obs-text as latin1', () => {
    const parsed = parse('HTTP/1.1 200 OK\r\nX-A:  one \t\r\nx-a: two\r\nEmpty:\r\nX-Latin: caf\xe9\r\nContent-Length: 0\r\n\r\n');
    expect(parsed).toMatchObject({
      headers: [
        ['x-a', 'one'],
        ['x-a', 'two'],
        ['empty', ''],
        ['x-latin', 'caf\xe9'],
        ['content-length', '0'],
      ],
    });
  });

  it('reads the same response cut at every byte, and paused after every body piece', () => {
    const rand = random(7);
    for (let n = 0; n < 60; n++) {
      const { bytes, expected } = generateResponse(rand, 40);
      for (let at = 0; at <= bytes.length; at++) {
        expect(parsePieces(split(bytes, [at])), `${bytes.toString('latin1')} cut at ${at}`).toEqual(expected);
      }
      expect(
        parsePieces(
          split(
            bytes,
            Array.from({ length: bytes.length - 1 }, (_, i) => i + 1),
          ),
          { pauseEvery: 1 },
        ),
      ).toEqual(expected);
    }
  });
});

describe('keep-alive and framing read from the head', () => {
  const head = (text: string) => new ResponseHead(text.slice(0, -2));
  it.each([
    ['HTTP/1.1 by default', 'HTTP/1.1 200 OK\r\n\r\n', true, -1],
    ['Connection: close', 'HTTP/1.1 200 OK\r\nConnection: Close\r\n\r\n', false, -1],
    ['close among other options', 'HTTP/1.1 200 OK\r\nConnection: upgrade, close\r\n\r\n', false, -1],
    ['HTTP/1.0 without keep-alive', 'HTTP/1.0 200 OK\r\n\r\n', false, -1],
    ['HTTP/1.0 with keep-alive', 'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n', true, -1],
    ['a Keep-Alive timeout hint', 'HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\n\r\n', true, 5000],
    ['a hint in any case', 'HTTP/1.1 200 OK\r\nkeep-alive: max=3, Timeout=12\r\n\r\n', true, 12000],
  ])('%s', (_what, text, keepAlive, hint) => {
    expect(head(text)).toMatchObject({ keepAlive, keepAliveHintMs: hint });
  });
});

describe('malformed responses are refused', () => {
  it.each([
    ['a status line that is not HTTP/1.x', 'HTTP/2 200 OK\r\n\r\n'],
    ['a status of two digits', 'HTTP/1.1 20 OK\r\n\r\n'],
    ['a status line with a control character', 'HTTP/1.1 200 O\x01K\r\n\r\n'],
    ['garbage', 'hello\r\n\r\n'],
    ['a header without a colon', 'HTTP/1.1 200 OK\r\nX-A\r\n\r\n'],
    ['whitespace before the colon', 'HTTP/1.1 200 OK\r\nX-A : 1\r\n\r\n'],
    ['a folded header line', 'HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\n\r\n'],
    ['a header name with a separator', 'HTTP/1.1 200 OK\r\nX(A): 1\r\n\r\n'],
    ['a NUL in a header value', 'HTTP/1.1 200 OK\r\nX-A: a\x00b\r\n\r\n'],
    ['a bare LF in a header value', 'HTTP/1.1 200 OK\r\nX-A: a\nb\r\nContent-Length: 0\r\n\r\n'],
    ['a bare CR in a header value', 'HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 0\r\n\r\n'],
    ['both Transfer-Encoding and Content-Length', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n0\r\n\r\n'],
    ['Transfer-Encoding without chunked last', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nzz'],
    ['two Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok'],
    ['a Content-Length list', 'HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok'],
    ['a negative Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n'],
    ['an empty Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n'],
    ['a Content-Length past the safe integers', 'HTTP/1.1 200 OK\r\nContent-Length: 9999999999999999\r\n\r\n'],
    ['a body shorter than its Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhell'],
    ['bytes after a complete response', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA'],
    ['a chunk size that is not hex', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n'],
    ['an empty chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\nok\r\n0\r\n\r\n'],
    ['a chunk size with a sign', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-2\r\nok\r\n0\r\n\r\n'],
    ['a chunk size with spaces', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 \r\nok\r\n0\r\n\r\n'],
    ['a huge chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nok\r\n0\r\n\r\n'],
    ['a chunk longer than its size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nok\r\n0\r\n\r\n'],
    ['a chunk size line ending in LF alone', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nok\r\n0\r\n\r\n'],
    ['a control character in a chunk extension', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;a\x01\r\nok\r\n0\r\n\r\n'],
    ['a malformed trailer', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nno colon\r\n\r\n'],
    ['a chunked body cut before its last chunk', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n'],
    ['a head cut short', 'HTTP/1.1 200 OK\r\nContent-Le'],
    ['a protocol switch', 'HTTP/1.1 101 Switching Protocols\r\n\r\n'],
  ])('%s', (_what, text) => {
    expect(parse(text)).toHaveProperty('error');
  });

  it('refuses a head over 64 KiB, in one read or many, and reads one just under it', () => {
    const filler = (n: number) => `HTTP/1.1 200 OK\r\nX-Fill: ${'f'.repeat(n)}\r\nContent-Length: 0\r\n\r\n`;
    const fits = filler(MAX_HEAD_BYTES - filler(0).length);
    expect(parse(fits)).toMatchObject({ status: 200 });
    const over = filler(MAX_HEAD_BYTES - filler(0).length + 1);
    expect(parse(over)).toHaveProperty('error');
    const bytes = wire(over);
    expect(
      parsePieces(
        split(
          bytes,
          Array.from({ length: 64 }, (_, i) => (i + 1) * 1024),
        ),
      ),
    ).toHaveProperty('error');
    // A head that never ends is refused once it passes the limit, without waiting for more.
    const parser = new ResponseParser({ head: () => {}, body: () => true });
    parser.start(false);
    parser.execute(wire('HTTP/1.1 200 OK\r\nX-Fill: '));
    expect(() => parser.execute(wire('f'.repeat(MAX_HEAD_BYTES)))).toThrow(HttpParseError);
  });

  it('refuses trailers over 64 KiB', () => {
    const text = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nx-t: ${'t'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`;
    expect(parse(text)).toHaveProperty('error');
  });
});
