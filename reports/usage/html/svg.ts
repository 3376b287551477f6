// Tiny SVG/HTML building blocks for the report's charts: elements, axis scales, colours.
import { escapeHtml } from '../../escape-html.ts';

type Attrs = Record<string, string | number | undefined>;

/** An element with escaped attributes; children are already markup. */
export function el(tag: string, attrs: Attrs, ...children: string[]): string {
  const list = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeHtml(typeof v === 'number' ? fmt(v) : v!)}"`)
    .join('');
  return children.length ? `<${tag}${list}>${children.join('')}</${tag}>` : `<${tag}${list}/>`;
}

export function text(x: number, y: number, content: string, attrs: Attrs = {}): string {
  return el('text', { x, y, ...attrs }, escapeHtml(content));
}

/** Hover text for a shape. */
export function title(content: string): string {
  return el('title', {}, escapeHtml(content));
}

/** Coordinates with two decimals at most: smaller files, same picture. */
const fmt = (n: number): string => String(Math.round(n * 100) / 100);

/** Round axis ticks from 0 to at least `max` (1, 2 or 5 times a power of ten apart). */
export function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const top = Math.ceil(max / step) * step;
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => Math.round(i * step * 1e9) / 1e9);
}

/** Mostly Okabe–Ito, readable with the common colour-vision deficiencies; grey is kept for "other". */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#6A3D9A'];
export const OTHER_COLOUR = '#9aa0a6';
