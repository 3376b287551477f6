// Gateway sessions as sealed tokens. The Mcp-Session-Id a client holds is the list of upstream sessions behind
// it, encrypted and authenticated (AES-256-GCM): the gateway keeps no session table, so memory stays flat however
// many sessions agents open and never close, and a token is worthless to another consumer or on another path.
// The key comes from `gateway.mcp.sessionKey` when it is set, so every replica opens every replica's sessions
// and they survive a restart; otherwise each gateway makes its own, kept across reloads (a client of another
// replica, or of a restarted one, initializes again).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** One upstream session: its Mcp-Session-Id (null when the server keeps none) and the protocol version agreed. */
export interface UpstreamSession {
  id: string | null;
  protocol: string;
}

export interface GatewaySession {
  consumer: string;
  /** The server of `/mcp/{server}`, or '' for `/mcp`. */
  scope: string;
  upstreams: Record<string, UpstreamSession>;
}

export interface SessionSeal {
  seal(session: GatewaySession): string;
  /** The session a token seals, or undefined for anything else (forged, cut, sealed under another key). */
  open(token: string): GatewaySession | undefined;
}

/** Shortest `sessionKey` accepted: a key anyone can guess would let them forge sessions of any consumer. */
export const MIN_SESSION_KEY_CHARS = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/**
 * Sessions opened lately, by token: an agent sends the same token with every message, and a cipher set up per
 * request (≈ 20 µs) is most of what the gateway spends on one. Bounded, least recently used first out.
 */
const RECENT_MAX = 1024;

/** The seal of a configured secret (its AES key derived with HKDF), or one under a random key of its own. */
export function sessionSeal(secret?: string): SessionSeal {
  return createSeal(secret === undefined ? randomBytes(32) : Buffer.from(hkdfSync('sha256', secret, 'modelgate', 'mcp session seal', 32)));
}

function createSeal(key: Buffer): SessionSeal {
  const recent = new Map<string, GatewaySession>();
  const remember = (token: string, session: GatewaySession) => {
    recent.delete(token);
    recent.set(token, session);
    if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
  };
  return {
    seal(session) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([cipher.update(JSON.stringify(session), 'utf8'), cipher.final()]);
      const token = Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
      remember(token, session);
      return token;
    },
    open(token) {
      const known = recent.get(token);
      if (known) {
        remember(token, known);
        return known;
      }
      const raw = Buffer.from(token, 'base64url');
      if (raw.length <= IV_BYTES + TAG_BYTES) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
        const session = JSON.parse(text) as GatewaySession;
        remember(token, session);
        return session;
      } catch {
        return undefined;
      }
    },
  };
}
