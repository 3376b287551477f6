// Token usage and its price. Non-streaming answers passed through as bytes are never decoded; only their `usage`
// object is parsed, found from the end, where OpenAI-compatible servers and Anthropic put it.
import type { IRModel, IRProvider } from '../compiler/ir/types.ts';

/** `input` counts every prompt token, cached ones included; `cacheRead` and `cacheWrite` are parts of it. */
export interface TokenUsage {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export const NO_USAGE: TokenUsage = Object.freeze({ input: 0, output: 0 });

/** `a` plus an earlier answer's `b`, when there was one (a request asked twice). */
export function addUsage(a: TokenUsage, b: TokenUsage | undefined): TokenUsage {
  if (!b) return a;
  const sum: TokenUsage = { input: a.input + b.input, output: a.output + b.output };
  if (a.cacheRead || b.cacheRead) sum.cacheRead = (a.cacheRead ?? 0) + (b.cacheRead ?? 0);
  if (a.cacheWrite || b.cacheWrite) sum.cacheWrite = (a.cacheWrite ?? 0) + (b.cacheWrite ?? 0);
  return sum;
}

/** Reads `usage` from an OpenAI-format JSON object (chat or embeddings), parsing only that member. */
export function usageFromOpenAIBody(body: Buffer): TokenUsage {
  return fromOpenAIUsage(usageMember(body));
}

/** The parsed `usage` member of a JSON object answer (undefined when there is none). */
export function usageMember(body: Buffer): unknown {
  const key = body.lastIndexOf(USAGE_KEY);
  if (key > 0 && body[key - 1] !== BACKSLASH) {
    const open = body.indexOf(OPEN, key + USAGE_KEY.length);
    const close = open < 0 ? -1 : matchingBrace(body, open);
    if (close > 0 && onlyColonBetween(body, key + USAGE_KEY.length, open)) {
      try {
        return JSON.parse(body.toString('utf8', open, close + 1));
      } catch {
        // fall through to the full parse
      }
    }
  }
  try {
    return JSON.parse(body.toString('utf8'))?.usage;
  } catch {
    return undefined;
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
  const {
    prompt_tokens: input,
    completion_tokens: output,
    prompt_tokens_details: details,
  } = u as {
    prompt_tokens?: unknown;
    completion_tokens?: unknown;
    prompt_tokens_details?: { cached_tokens?: unknown };
  };
  const usage: TokenUsage = { input: count(input), output: count(output) };
  const cached = count(details?.cached_tokens);
  if (cached) usage.cacheRead = cached;
  return usage;
}

/** Anthropic counts cache reads and writes apart from `input_tokens`; here they are part of `input`. */
export function fromAnthropicUsage(u: unknown): TokenUsage {
  if (!u || typeof u !== 'object') return NO_USAGE;
  const a = u as {
    input_tokens?: unknown;
    output_tokens?: unknown;
    cache_creation_input_tokens?: unknown;
    cache_read_input_tokens?: unknown;
  };
  const cacheRead = count(a.cache_read_input_tokens);
  const cacheWrite = count(a.cache_creation_input_tokens);
  const usage: TokenUsage = { input: count(a.input_tokens) + cacheRead + cacheWrite, output: count(a.output_tokens) };
  if (cacheRead) usage.cacheRead = cacheRead;
  if (cacheWrite) usage.cacheWrite = cacheWrite;
  return usage;
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

/** Cache prices as multiples of the input price, where a provider type publishes them (Anthropic: 0.1x read, 1.25x write). */
const CACHE_MULTIPLIERS: Partial<Record<IRProvider['type'], { read: number; write: number }>> = { anthropic: { read: 0.1, write: 1.25 } };
const NO_DISCOUNT = { read: 1, write: 1 };

/**
 * USD from the model's prices per million tokens (0 for an unpriced side), rounded to 1e-9 to drop float noise.
 * Cached input tokens cost the model's cache prices, else the provider type's multiples of its input price.
 */
export function costUsd(model: IRModel, usage: TokenUsage, type: IRProvider['type']): number {
  const input = model.inputPricePer1M ?? 0;
  let cost = usage.input * input + usage.output * (model.outputPricePer1M ?? 0);
  if (usage.cacheRead || usage.cacheWrite) {
    const read = usage.cacheRead ?? 0;
    const write = usage.cacheWrite ?? 0;
    const multiple = CACHE_MULTIPLIERS[type] ?? NO_DISCOUNT;
    cost +=
      read * ((model.cacheReadPricePer1M ?? input * multiple.read) - input) +
      write * ((model.cacheWritePricePer1M ?? input * multiple.write) - input);
  }
  return Math.round((cost / 1e6) * 1e9) / 1e9;
}
