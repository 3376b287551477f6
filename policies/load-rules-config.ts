// Reads modelgate.config.yaml (and the files it `extends`) into RuleSettings. The only I/O of policies/.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, posix, relative } from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Diagnostic, Location } from '../kernel/diagnostics.ts';
import { escapesRoot } from '../compiler/load/discover.ts';
import { locateInSpans } from '../compiler/load/locate.ts';
import { parseYamlFile, type ParsedFile } from '../compiler/load/parse-yaml.ts';
import type { DocPath } from '../kernel/resource.ts';
import { didYouMean } from '../kernel/suggest.ts';
import { RULE_LEVELS, type RuleLevel, type RuleSetting, type RulesConfig } from './rules-config.ts';

/** Looked for at the config root, in this order; the loader skips both names. */
const RULES_CONFIG_FILES = ['modelgate.config.yaml', 'modelgate.config.yml'] as const;
const TOP_LEVEL_KEYS = ['extends', 'rules', 'environments'];

interface Reader {
  root: string;
  realRoot: string;
  settings: RuleSetting[];
  diagnostics: Diagnostic[];
  /** Files being read, to refuse `extends` cycles. */
  stack: string[];
}

export function loadRulesConfig(root: string): { config: RulesConfig; diagnostics: Diagnostic[] } {
  const file = RULES_CONFIG_FILES.find((name) => existsSync(join(root, name)));
  const reader: Reader = { root, realRoot: realpathSync(root), settings: [], diagnostics: [], stack: [] };
  if (file && relative(reader.realRoot, realpathSync(join(root, file))).startsWith('..')) reader.diagnostics.push(escapesRoot(file));
  else if (file) readConfigFile(reader, file);
  return { config: { settings: reader.settings }, diagnostics: reader.diagnostics };
}

function readConfigFile(reader: Reader, file: string): void {
  const parsed = parseYamlFile(file, readFileSync(join(reader.root, file), 'utf8'));
  reader.diagnostics.push(...parsed.diagnostics);
  const doc = parsed.documents[0];
  if (!doc) return;
  const at = (path: DocPath): Location => locateInSpans(doc.spans, { file, lineCounter: parsed.lines }, path);
  const located: Located = { doc, at };
  const error = (path: DocPath, message: string, hint?: string, severity: Diagnostic['severity'] = 'error'): void => {
    reader.diagnostics.push({ ruleId: 'rules-config', severity, message, hint, ...at(path) });
  };
  const top = doc.doc.contents;
  if (!isMap(top)) return error([], `${file} must be a mapping with \`rules\`, \`environments\` or \`extends\`.`);

  for (const key of keysOf(top)) {
    if (!TOP_LEVEL_KEYS.includes(key)) {
      error([key], `Unknown key \`${key}\` in ${file}; it is ignored.${didYouMean(key, TOP_LEVEL_KEYS)}`, undefined, 'warning');
    }
  }
  reader.stack.push(file);
  readExtends(reader, located, error);
  reader.stack.pop();
  readRules(reader, located, ['rules'], undefined, error);
  const environments = doc.doc.get('environments', true) as Node | undefined;
  if (environments !== undefined && !isMap(environments)) {
    error(['environments'], '`environments` must map environment names to `{rules: ...}`.');
  } else if (environments) {
    for (const env of keysOf(environments)) readRules(reader, located, ['environments', env, 'rules'], env, error);
  }
}

type ReportError = (path: DocPath, message: string, hint?: string) => void;
/** A parsed document with its AST, and how to locate a path in it. */
interface Located {
  doc: ParsedFile['documents'][number];
  at: (path: DocPath) => Location;
}

function readExtends(reader: Reader, { doc }: Located, error: ReportError): void {
  const list = doc.doc.get('extends', true);
  if (list === undefined) return;
  if (!isSeq(list)) return error(['extends'], '`extends` must be a list of file paths relative to this file.');
  const from = reader.stack[reader.stack.length - 1]!;
  list.items.forEach((item, i) => {
    const target = isScalar(item) && typeof item.value === 'string' ? item.value : undefined;
    if (target === undefined) return error(['extends', i], '`extends` entries must be file paths.');
    const resolved = posix.normalize(posix.join(posix.dirname(from), target));
    if (isAbsolute(target) || resolved.startsWith('../') || resolved === '..') {
      return error(
        ['extends', i],
        `\`${target}\` is outside the config root; shared rule files must live inside it.`,
        'Use a relative path to a file inside the repo (for example ./shared/rules.yaml).',
      );
    }
    const absolute = join(reader.root, resolved);
    if (!existsSync(absolute)) return error(['extends', i], `\`${target}\` does not exist (looked for ${resolved}).`);
    const real = realpathSync(absolute);
    if (relative(reader.realRoot, real).startsWith('..')) {
      return error(['extends', i], `\`${target}\` links to a file outside the config root.`, 'Copy the shared rules into the repo.');
    }
    if (reader.stack.includes(resolved)) {
      return error(
        ['extends', i],
        `\`${target}\` extends itself through ${[...reader.stack, resolved].join(' -> ')}.`,
        'Remove one of the `extends` entries.',
      );
    }
    readConfigFile(reader, resolved);
  });
}

function readRules(reader: Reader, { doc, at }: Located, path: DocPath, environment: string | undefined, error: ReportError): void {
  const node = doc.doc.getIn(path, true) as Node | undefined;
  if (node === undefined) return;
  if (!isMap(node)) return error(path, `\`${path.join('.')}\` must map rule ids to ${RULE_LEVELS.join(', ')}.`);
  for (const pair of node.items) {
    const rule = isScalar(pair.key) ? String(pair.key.value) : '';
    const raw = isScalar(pair.value) ? pair.value.value : undefined;
    if (typeof raw !== 'string' || !RULE_LEVELS.includes(raw as RuleLevel)) {
      // Spectral users write `warn`: a prefix is as good a hint as a typo.
      const prefixed = RULE_LEVELS.find((l) => typeof raw === 'string' && raw !== '' && l.startsWith(raw));
      const suggestion = prefixed ? ` Did you mean "${prefixed}"?` : typeof raw === 'string' ? didYouMean(raw, RULE_LEVELS) : '';
      error([...path, rule], `The level of "${rule}" must be one of ${RULE_LEVELS.join(', ')}.${suggestion}`);
      continue;
    }
    const location = at([...path, rule]);
    reader.settings.push({ rule, level: raw as RuleLevel, ...(environment === undefined ? {} : { environment }), location });
  }
}

function keysOf(map: { items: { key: unknown }[] }): string[] {
  return map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
}
