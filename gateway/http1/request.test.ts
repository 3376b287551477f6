// Request heads as they go on the wire: the caller's headers in order, Host and keep-alive, Content-Length from the
// body, and a request refused whole (nothing written) when a header or the path could change its framing.
import { describe, expect, it } from 'vitest';
import { requestHead } from './request.ts';

describe('a request head', () => {
  it('has the request line, the headers in order, keep-alive and the body length', () => {
    expect(
      requestHead(
        'POST',
        '/v1/messages?beta=true',
        ['Host', 'api:8443', 'x-api-key', 'k', 'Content-Type', 'application/json'],
        'unused',
        12,
      ),
    ).toBe(
      'POST /v1/messages?beta=true HTTP/1.1\r\nHost: api:8443\r\nx-api-key: k\r\nContent-Type: application/json\r\nconnection: keep-alive\r\ncontent-length: 12\r\n\r\n',
    );
  });

  it.each([
    ['a POST without a body says so', 'POST', 0, 'content-length: 0\r\n'],
    ['a GET without a body has no length', 'GET', -1, ''],
  ])('%s', (_what, method, length, tail) => {
    expect(requestHead(method, '/', [], 'h', length)).toBe(`${method} / HTTP/1.1\r\nhost: h\r\nconnection: keep-alive\r\n${tail}\r\n`);
  });

  it("drops the caller's framing headers for its own", () => {
    const head = requestHead(
      'POST',
      '/',
      ['host', 'h', 'Content-Length', '999', 'Transfer-Encoding', 'chunked', 'Connection', 'close', 'Keep-Alive', 'timeout=1'],
      'h',
      2,
    );
    expect(head).toBe('POST / HTTP/1.1\r\nhost: h\r\nconnection: keep-alive\r\ncontent-length: 2\r\n\r\n');
  });

  it('keeps obs-text and tabs in values as latin1', () => {
    expect(requestHead('GET', '/', ['x-a', 'caf\xe9\tb'], 'h', -1)).toContain('x-a: caf\xe9\tb\r\n');
  });
});

describe('a request refused before anything is written', () => {
  it.each([
    ['CR LF in a value (header injection)', ['x-a', 'v\r\nx-evil: 1']],
    ['LF alone in a value', ['x-a', 'v\nx']],
    ['CR alone in a value', ['x-a', 'v\rx']],
    ['NUL in a value', ['x-a', 'v\0']],
    ['another control character in a value', ['x-a', 'v\x7f']],
    ['a character past latin1 in a value', ['x-a', 'snow ☃']],
    ['CR LF in a name', ['x-a\r\nx-evil', 'v']],
    ['a space in a name', ['x a', 'v']],
    ['a colon in a name', ['x:a', 'v']],
    ['an empty name', ['', 'v']],
  ])('%s', (_what, headers) => {
    expect(requestHead('POST', '/', headers, 'h', 0)).toBeUndefined();
  });

  it.each([
    ['a space', '/a b'],
    ['CR LF', '/a\r\nx-evil: 1'],
    ['NUL', '/a\0'],
  ])('a path with %s', (_what, path) => {
    expect(requestHead('POST', path, [], 'h', 0)).toBeUndefined();
  });
});
