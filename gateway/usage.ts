// Token usage and its price. Non-streaming OpenAI responses are passed through as bytes, never decoded; only their
// `usage` object is parsed, found from the end, where every OpenAI-compatible server puts it.
import type { IRModel } from '../compiler/ir/types.ts';

export interface TokenUsage {
  input: number;
  output: number;
}

export const NO_USAGE: TokenUsage = Object.freeze({ input: 0, output: 0 });

/** Reads `usage` from an OpenAI-format JSON object (chat or embeddings), parsing only that member. */
export function usageFromOpenAIBody(body: Buffer): TokenUsage {
  const key = body.lastIndexOf(USAGE_KEY);
  if (key > 0 && body[key - 1] !== BACKSLASH) {
    const open = body.indexOf(OPEN, key + USAGE_KEY.length);
    const close = open < 0 ? -1 : matchingBrace(body, open);
    if (close > 0 && onlyColonBetween(body, key + USAGE_KEY.length, open)) {
      try {
        return fromOpenAIUsage(JSON.parse(body.toString('utf8', open, close + 1)));
      } catch {
        // fall through to the full parse
      }
    }
  }
  try {
    return fromOpenAIUsage(JSON.parse(body.toString('utf8'))?.usage);
  } catch {
    return NO_USAGE;
  }
}

const USAGE_KEY = '"usage"';
const [BACKSLASH, QUOTE, OPEN, CLOSE, COLON] = [0x5c, 0x22, 0x7b, 0x7d, 0x3a];
export const isJsonSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Whether `body[from, to)` is one colon with optional JSON whitespace around it. */
function onlyColonBetween(body: Buffer, from: number, to: number): boolean {
  let colons = 0;
  for (let i = from; i < to; i++) {
    if (body[i] === COLON) colons++;
    else if (!isJsonSpace(body[i])) return false;
  }
  return colons === 1;
}

export function fromOpenAIUsage(u: unknown): TokenUsage {
  if (!u || typeof u !== 'object') return NO_USAGE;
  const { prompt_tokens: input, completion_tokens: output } = u as { prompt_tokens?: unknown; completion_tokens?: unknown };
  return { input: count(input), output: count(output) };
}

const count = (n: unknown) => (typeof n === 'number' && n > 0 ? Math.floor(n) : 0);

/** Index of the `}` closing the object opened at `open`, skipping braces inside strings; -1 when unbalanced. */
function matchingBrace(body: Buffer, open: number): number {
  let depth = 0;
  let inString = false;
  for (let i = open; i < body.length; i++) {
    const c = body[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN) depth++;
    else if (c === CLOSE && --depth === 0) return i;
  }
  return -1;
}

/** USD from the model's prices per million tokens (0 for an unpriced side), rounded to 1e-9 to drop float noise. */
export function costUsd(model: IRModel, usage: TokenUsage): number {
  const cost = (usage.input * (model.inputPricePer1M ?? 0) + usage.output * (model.outputPricePer1M ?? 0)) / 1e6;
  return Math.round(cost * 1e9) / 1e9;
}
