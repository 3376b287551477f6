// Number formats shared by the text and HTML reports: fixed, locale-free, so output is the same everywhere.

/** `1234567` -> `1,234,567` */
export function int(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Dollars with cents; sub-cent amounts keep four decimals so they do not read as zero. */
export function usd(n: number): string {
  if (n !== 0 && Math.abs(n) < 0.01) return n.toFixed(4);
  const [whole, cents] = n.toFixed(2).split('.');
  return `${int(Number(whole))}.${cents}`;
}

export function percent(ratio: number | null): string {
  return ratio === null ? '-' : `${(ratio * 100).toFixed(1)}%`;
}

export function millis(ms: number | null): string {
  if (ms === null) return '-';
  return ms < 10 ? ms.toFixed(1) : int(ms);
}

/** `1 line`, `2,000 lines` */
export function count(n: number, noun: string): string {
  return `${int(n)} ${noun}${n === 1 ? '' : 's'}`;
}
