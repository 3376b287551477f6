import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import { formatReport } from './index.ts';
import { SAMPLE, SAMPLE_FILES } from '../../test/support/sample-diagnostics.ts';

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_m, e: string) => ENTITIES[e]!);

/** A small well-formedness check and parser: tags must nest and close, attributes must be quoted, no stray `<` or `&`. */
function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, '');
  const token = /<(\/?)([A-Za-z_][-\w.]*)((?:\s+[A-Za-z_][-\w.:]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [root];
  let m: RegExpExecArray | null;
  while (token.lastIndex < body.length && (m = token.exec(body))) {
    const [, closing, name, attrs, selfClosing, text] = m;
    const top = stack.at(-1)!;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`unescaped & in ${text}`);
      top.text += unescapeXml(text);
    } else if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attributes = Object.fromEntries([...attrs!.matchAll(/([\w.:-]+)="([^"]*)"/g)].map((a) => [a[1]!, unescapeXml(a[2]!)]));
      const element = { name: name!, attributes, children: [], text: '' };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  if (token.lastIndex !== body.length || stack.length !== 1) throw new Error('not well-formed');
  if (root.children.length !== 1) throw new Error('expected one root element');
  return root.children[0]!;
}

describe('junit report', () => {
  const suites = parseXml(formatReport('junit', SAMPLE, { filesChecked: SAMPLE_FILES }));
  const suite = suites.children[0]!;
  const cases = suite.children;

  it('is one well-formed test suite with one test case per file checked', () => {
    expect(suites.name).toBe('testsuites');
    expect(suites.children).toHaveLength(1);
    expect(suite.attributes).toMatchObject({ tests: '5', failures: '2', errors: '0' });
    expect(cases.map((c) => c.attributes.name)).toEqual(SAMPLE_FILES);
  });

  it('fails the files with errors and passes the clean, warned and waived ones', () => {
    const failed = cases.filter((c) => c.children.some((e) => e.name === 'failure')).map((c) => c.attributes.name);
    expect(failed).toEqual(['access/payments.yaml', 'routes/chat.yaml']);
    const payments = cases[0]!.children.find((e) => e.name === 'failure')!;
    expect(payments.attributes.message).toBe('2 errors');
    expect(payments.text).toContain('access/payments.yaml:11:9 error Consumer "<payments & co>" does not exist. [reference]');
    expect(cases.find((c) => c.attributes.name === 'gateway.yaml')!.children).toEqual([]);
    const waived = cases.find((c) => c.attributes.name === 'prompts/support-reply.yaml')!;
    expect(waived.children.map((e) => e.name)).toEqual(['system-out']);
  });

  it('counts a refused file that was never read', () => {
    const tooLarge: Diagnostic = { ...SAMPLE[0]!, ruleId: 'file-too-large', file: 'huge.yaml' };
    const doc = parseXml(formatReport('junit', [tooLarge], { filesChecked: ['gateway.yaml'] }));
    expect(doc.attributes).toMatchObject({ tests: '2', failures: '1' });
  });

  it('drops characters XML cannot carry', () => {
    const doc = parseXml(formatReport('junit', [{ ...SAMPLE[0]!, message: 'bell \u0007 here' }]));
    expect(doc.children[0]!.children[0]!.children[0]!.attributes.message).toBe('bell  here');
  });
});
