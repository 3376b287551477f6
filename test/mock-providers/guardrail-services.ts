// Mock checker services on 127.0.0.1 speaking the real wire formats: an OpenAI-compatible `POST /v1/moderations`,
// Presidio's analyzer (`POST /analyze`) and anonymizer (`POST /anonymize`), and the gateway's webhook contract.
// Each records what it received and can be made slow or broken.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockService {
  origin: string;
  /** Parsed bodies received, by path. */
  readonly received: { path: string; body: any; authorization?: string }[];
  /** Wait this long before answering (a checker past its timeout). */
  delayMs: number;
  /** Answer this status with an error body instead. */
  failStatus: number | undefined;
  /** Add a member of this many bytes to each answer (a service that answers far too much). */
  padBytes: number;
  close(): Promise<void>;
}

type Handler = (path: string, body: any) => unknown;

function startService(handle: Handler): Promise<MockService> {
  const sockets = new Set<import('node:net').Socket>();
  const service: MockService = {
    origin: '',
    received: [],
    delayMs: 0,
    failStatus: undefined,
    padBytes: 0,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw || 'null');
      service.received.push({ path: req.url ?? '', body, authorization: req.headers.authorization });
      const send = () => {
        if (res.destroyed) return;
        const status = service.failStatus ?? 200;
        let answer = status === 200 ? handle(req.url ?? '', body) : { error: { message: 'mock failure' } };
        if (answer !== undefined && service.padBytes) answer = { ...(answer as object), padding: 'x'.repeat(service.padBytes) };
        res.writeHead(answer === undefined ? 404 : status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer ?? { error: 'not found' }));
      };
      if (service.delayMs > 0) setTimeout(send, service.delayMs);
      else send();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      service.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve(service);
    }),
  );
}

/** OpenAI's moderation categories, scored by the words a text contains (`kill` is violence, `hate` is hate). */
const SCORED = { violence: /\bkill\b/i, hate: /\bhate\b/i, 'self-harm': /\bhurt myself\b/i } as const;

export function startMockModeration(): Promise<MockService> {
  return startService((path, body) => {
    if (path !== '/v1/moderations') return undefined;
    const inputs: string[] = typeof body.input === 'string' ? [body.input] : body.input;
    return {
      id: 'modr-mock',
      model: body.model ?? 'omni-moderation-latest',
      results: inputs.map((text) => {
        const scores = Object.fromEntries(Object.entries(SCORED).map(([name, re]) => [name, re.test(text) ? 0.6 : 0.01]));
        const categories = Object.fromEntries(Object.entries(scores).map(([name, score]) => [name, score > 0.8]));
        return { flagged: Object.values(categories).some(Boolean), categories, category_scores: scores };
      }),
    };
  });
}

/** Presidio: PERSON for capitalised first names it knows, EMAIL_ADDRESS for addresses; anonymize applies the replacements. */
const PEOPLE = /\b(?:Alice|Bob)\b/g;
const EMAILS = /[\w.+-]+@[\w-]+\.[\w.]+/g;

export function startMockPresidio(): Promise<MockService> {
  return startService((path, body) => {
    if (path === '/analyze') {
      const found: { entity_type: string; start: number; end: number; score: number }[] = [];
      for (const [type, re, score] of [
        ['PERSON', PEOPLE, 0.85],
        ['EMAIL_ADDRESS', EMAILS, 1],
      ] as const) {
        for (const m of (body.text as string).matchAll(re))
          found.push({ entity_type: type, start: m.index!, end: m.index! + m[0].length, score });
      }
      return found.filter((r) => (!body.entities || body.entities.includes(r.entity_type)) && r.score >= (body.score_threshold ?? 0));
    }
    if (path === '/anonymize') {
      const results = [...body.analyzer_results].sort((a: any, b: any) => b.start - a.start);
      let text: string = body.text;
      for (const r of results) {
        const op = body.anonymizers?.[r.entity_type] ?? body.anonymizers?.DEFAULT ?? { type: 'replace', new_value: `<${r.entity_type}>` };
        text = text.slice(0, r.start) + op.new_value + text.slice(r.end);
      }
      return { text, items: results.map((r: any) => ({ operator: 'replace', entity_type: r.entity_type, start: r.start, end: r.end })) };
    }
    return undefined;
  });
}

/** The webhook contract: `deny` texts containing `forbidden`, and rewrite it to `[removed]`. */
export function startMockWebhook(): Promise<MockService> {
  return startService((_path, body) => {
    const texts: string[] = body.texts;
    if (!texts.some((t) => t.includes('forbidden'))) return { verdict: 'allow' };
    return { verdict: 'deny', categories: ['house-rule'], texts: texts.map((t) => t.replaceAll('forbidden', '[removed]')) };
  });
}
