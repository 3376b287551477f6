// Fake credentials in the real formats of the providers (never valid keys), and the leak check: no 8-character
// window of a secret's random part may appear in anything modelgate writes.

export interface FakeSecret {
  name: string;
  value: string;
  /** Format markers anyone may print (`sk-proj-`, a PEM header): windows inside them are not leaks. */
  markers: readonly string[];
}

/** Deterministic random text (mulberry32), so every run plants the same secrets. */
function randomText(seed: number, length: number, alphabet: string): string {
  let state = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out += alphabet[((t ^ (t >>> 14)) >>> 0) % alphabet.length];
  }
  return out;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN = `${ALNUM}_-`;
const BASE64 = `${ALNUM}+/`;
const PEM_HEADER = '-----BEGIN RSA PRIVATE KEY-----';
const PEM_FOOTER = '-----END RSA PRIVATE KEY-----';
const JWT_HEADER = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'; // {"alg":"HS256","typ":"JWT"}

const pemBody = [1, 2, 3].map((line) => randomText(40 + line, 64, BASE64)).join('\n');

/** Planted in every string field. */
export const FAKE_SECRETS: readonly FakeSecret[] = [
  { name: 'OpenAI project key', value: `sk-proj-${randomText(1, 56, TOKEN)}`, markers: ['sk-proj-'] },
  { name: 'Anthropic key', value: `sk-ant-api03-${randomText(2, 93, TOKEN)}AA`, markers: ['sk-ant-api03-'] },
  { name: 'AWS access key id', value: `AKIA${randomText(3, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`, markers: ['AKIA'] },
  { name: 'GitLab token', value: `glpat-${randomText(4, 20, TOKEN)}`, markers: ['glpat-'] },
  // The line breaks around the body belong to the markers: a detector matching `\n-----END` is no leak.
  { name: 'PEM private key', value: `${PEM_HEADER}\n${pemBody}\n${PEM_FOOTER}`, markers: [`${PEM_HEADER}\n`, `\n${PEM_FOOTER}`] },
  {
    // Not a round `iat`: the base64 of a run of zeros is in any bundle that embeds WebAssembly.
    name: 'JSON Web Token',
    value: `${JWT_HEADER}.${Buffer.from(JSON.stringify({ sub: randomText(5, 12, ALNUM), iat: 1733519417 })).toString('base64url')}.${randomText(6, 43, TOKEN)}`,
    markers: [JWT_HEADER],
  },
];

/** Only recognisable by where it is written: planted in credential fields (`secret`, `credential`). */
export const AWS_SECRET_ACCESS_KEY: FakeSecret = { name: 'AWS secret access key', value: randomText(7, 40, BASE64), markers: [] };

/** The first 8-character window of `secret` found in `output` outside its format markers, or undefined. */
export function leakedFragment(output: string, secret: FakeSecret): string | undefined {
  const publicSpans = secret.markers.flatMap((m) => {
    const at = secret.value.indexOf(m);
    return at < 0 ? [] : [[at, at + m.length] as const];
  });
  for (let i = 0; i + 8 <= secret.value.length; i++) {
    if (publicSpans.some(([s, e]) => i >= s && i + 8 <= e)) continue;
    const window = secret.value.slice(i, i + 8);
    if (output.includes(window)) return window;
  }
  return undefined;
}
