// Microsoft Presidio over HTTP: the analyzer's `POST /analyze` (`{text, language, entities?, score_threshold}`,
// answered by `[{entity_type, start, end, score}]`) per text, and for `mask` the anonymizer's `POST /anonymize`
// (`{text, analyzer_results, anonymizers}`, answered by `{text}`), each entity replaced by `[REDACTED:<type>]`.
import type { IRGuardrailCheck } from '../../compiler/ir/types.ts';
import type { RemoteChecker } from './checker.ts';
import { postJson } from './post-json.ts';

type Presidio = Extract<IRGuardrailCheck, { type: 'presidio' }>;

interface RecognizerResult {
  entity_type: string;
  start: number;
  end: number;
  score: number;
}

export function presidioChecker(p: Presidio): RemoteChecker {
  const analyze = `${p.analyzerUrl.replace(/\/$/, '')}/analyze`;
  const anonymize = p.anonymizerUrl && `${p.anonymizerUrl.replace(/\/$/, '')}/anonymize`;
  return {
    async check(texts, _stage, mask, signal) {
      const found = new Set<string>();
      const analyses = await Promise.all(
        texts.map(async (text) => {
          const body = { text, language: p.language, score_threshold: p.scoreThreshold, ...(p.entities ? { entities: p.entities } : {}) };
          const results = await postJson(analyze, body, signal);
          if (!Array.isArray(results)) throw new Error('not a list of results');
          const kept = (results as RecognizerResult[]).filter((r) => r.score >= p.scoreThreshold);
          for (const r of kept) found.add(`presidio:${r.entity_type}`);
          return kept;
        }),
      );
      const categories = [...found].sort();
      if (!mask || categories.length === 0 || !anonymize) return { categories };
      const masked = await Promise.all(
        texts.map(async (text, i) => {
          const results = analyses[i]!;
          if (results.length === 0) return text;
          const anonymizers = Object.fromEntries(
            results.map((r) => [r.entity_type, { type: 'replace', new_value: `[REDACTED:${r.entity_type.toLowerCase()}]` }]),
          );
          const answer = await postJson(anonymize, { text, analyzer_results: results, anonymizers }, signal);
          if (typeof answer?.text !== 'string') throw new Error('no text');
          return answer.text as string;
        }),
      );
      return { categories, masked };
    },
  };
}
