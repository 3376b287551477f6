// The pieces of the MCP gateway that read client input: JSON-RPC messages, session tokens, event ids, SSE events.
import { describe, expect, it } from 'vitest';
import { readEvent, writeEvent } from './events.ts';
import { clientRequestId, decodeCursor, encodeCursor, serverRequestId } from './ids.ts';
import { parseMessage, RpcError } from './jsonrpc.ts';
import { sessionSeal } from './session.ts';

describe('JSON-RPC messages', () => {
  const parsed = (text: string) => parseMessage(Buffer.from(text));
  const refusal = (text: string) => {
    try {
      parsed(text);
    } catch (err) {
      return err instanceof RpcError ? [err.status, err.code] : ['not an RpcError'];
    }
    return ['accepted'];
  };

  it('takes requests, notifications and responses', () => {
    expect(parsed('{"jsonrpc":"2.0","id":"a","method":"tools/list","params":{}}')).toMatchObject({ id: 'a' });
    expect(parsed('{"jsonrpc":"2.0","method":"notifications/initialized"}')).not.toHaveProperty('id');
    expect(parsed('{"jsonrpc":"2.0","id":3,"result":{}}')).toMatchObject({ result: {} });
  });

  it('refuses anything else with a parse or invalid-request error', () => {
    expect(refusal('')).toEqual([400, -32700]);
    expect(refusal('{"jsonrpc":"2.0","id":1,"result":{},"error":{}}')).toEqual([400, -32600]);
    expect(refusal('{"jsonrpc":"2.0","id":null,"method":"x"}')).toEqual([400, -32600]);
    expect(refusal('{"jsonrpc":"2.0","method":""}')).toEqual([400, -32600]);
    expect(refusal('null')).toEqual([400, -32600]);
  });
});

describe('sealed sessions', () => {
  const session = { consumer: 'alice', scope: '', upstreams: { github: { id: 'u-1', protocol: '2025-06-18' } } };

  it('opens what it sealed, and nothing forged or altered', () => {
    const { seal, open } = sessionSeal();
    const token = seal(session);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(open(token)).toEqual(session);
    const flipped = Buffer.from(token, 'base64url');
    flipped[flipped.length - 1] ^= 1;
    expect(open(flipped.toString('base64url'))).toBeUndefined();
    expect(open('')).toBeUndefined();
    expect(open('%%%')).toBeUndefined();
    expect(seal(session)).not.toBe(token); // a fresh IV each time
  });

  it('opens under the same configured key anywhere, and under no other', () => {
    const key = 'k'.repeat(32);
    const token = sessionSeal(key).seal(session);
    expect(sessionSeal(key).open(token)).toEqual(session); // another replica, or this one after a restart
    expect(sessionSeal(`${key}!`).open(token)).toBeUndefined();
    expect(sessionSeal().open(token)).toBeUndefined();
    expect(sessionSeal(key).open(sessionSeal().seal(session))).toBeUndefined();
  });
});

describe('ids that travel through the client', () => {
  it('round-trips cursors and server request ids, and rejects the rest', () => {
    expect(decodeCursor(encodeCursor({ github: 'e1', docs: 'e_2' }))).toEqual({ github: 'e1', docs: 'e_2' });
    expect(decodeCursor('not-a-cursor')).toBeUndefined();
    expect(decodeCursor(encodeCursor({}))).toBeUndefined();
    expect(serverRequestId(clientRequestId('github', 0))).toEqual({ server: 'github', id: 0 });
    expect(serverRequestId(clientRequestId('github', 'r:1'))).toEqual({ server: 'github', id: 'r:1' });
    expect(serverRequestId(7)).toBeUndefined();
    expect(serverRequestId('github:{')).toBeUndefined();
  });
});

describe('SSE events', () => {
  it('reads ids, retry and multi-line data, skips comments, and writes them back', () => {
    expect(readEvent(Buffer.from('event: message\nid: 7\nretry: 100\ndata: {"a":\ndata: 1}\n\n'))).toEqual({
      id: '7',
      retry: '100',
      data: '{"a":\n1}',
    });
    expect(readEvent(Buffer.from(': keepalive\n\n'))).toBeUndefined();
    expect(readEvent(Buffer.from('id: p\ndata: \n\n'))).toEqual({ id: 'p', retry: undefined, data: '' });
    expect(writeEvent({ id: 'c', data: 'x\ny' })).toBe('event: message\nid: c\ndata: x\ndata: y\n\n');
  });
});
