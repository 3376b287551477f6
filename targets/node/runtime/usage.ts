// Token usage and its price. Non-streaming OpenAI responses are passed through as bytes; only their `usage`
// object is parsed, found from the end, where every OpenAI-compatible server puts it.
import type { IRModel } from '../../../compiler/ir/types.ts';

export interface TokenUsage {
  input: number;
  output: number;
}

export const NO_USAGE: TokenUsage = Object.freeze({ input: 0, output: 0 });

/** Reads `usage` from an OpenAI-format JSON object (chat or embeddings), parsing only that member. */
export function usageFromOpenAIBody(body: string): TokenUsage {
  const key = body.lastIndexOf('"usage"');
  if (key > 0 && body[key - 1] !== '\\') {
    const open = body.indexOf('{', key + 7);
    const close = open < 0 ? -1 : matchingBrace(body, open);
    if (close > 0 && /^\s*:\s*$/.test(body.slice(key + 7, open))) {
      try {
        return fromOpenAIUsage(JSON.parse(body.slice(open, close + 1)));
      } catch {
        // fall through to the full parse
      }
    }
  }
  try {
    return fromOpenAIUsage(JSON.parse(body)?.usage);
  } catch {
    return NO_USAGE;
  }
}

export function fromOpenAIUsage(u: unknown): TokenUsage {
  if (!u || typeof u !== 'object') return NO_USAGE;
  const { prompt_tokens: input, completion_tokens: output } = u as { prompt_tokens?: unknown; completion_tokens?: unknown };
  return { input: count(input), output: count(output) };
}

const count = (n: unknown) => (typeof n === 'number' && n > 0 ? Math.floor(n) : 0);

/** Index of the `}` closing the object opened at `open`, skipping braces inside strings; -1 when unbalanced. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b) depth++;
    else if (c === 0x7d && --depth === 0) return i;
  }
  return -1;
}

/** USD from the model's prices per million tokens (0 for an unpriced side), rounded to 1e-9 to drop float noise. */
export function costUsd(model: IRModel, usage: TokenUsage): number {
  const cost = (usage.input * (model.inputPricePer1M ?? 0) + usage.output * (model.outputPricePer1M ?? 0)) / 1e6;
  return Math.round(cost * 1e9) / 1e9;
}
