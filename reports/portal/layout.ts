// The portal's page frame, styles and its two small scripts. Every page is whole by itself (styles inline, the icon a
// data: URL, no font or script from elsewhere): it opens from file://, a CI artifact or GitLab Pages alike.
import { escapeHtml } from '../escape-html.ts';

const CSS = `
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0;background:#f6f8fa}
main{max-width:1080px;margin:0 auto;padding:20px 28px 48px;background:#fff;min-height:100vh}
header{border-bottom:1px solid #d0d7de;margin-bottom:16px;padding-bottom:10px}
h1{font-size:24px;margin:4px 0}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:14px;margin:18px 0 6px}a{color:#0969da}.muted{color:#59636e}.crumbs{font-size:13px}
input[type=search]{width:100%;box-sizing:border-box;font-size:16px;padding:8px 12px;border:1px solid #8c959f;border-radius:6px}
ul.entries{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:10px}
li.entry{border:1px solid #d0d7de;border-radius:8px;padding:10px 14px}li.entry a.name{font-weight:600;font-size:15px}
li.entry p{margin:4px 0}.meta{font-size:12px;color:#59636e}
.badge{display:inline-block;font-size:11px;border:1px solid #d0d7de;border-radius:10px;padding:0 7px;margin-left:6px;color:#59636e}
.risk-destructive{color:#cf222e;border-color:#cf222e}.risk-write{color:#bc4c00;border-color:#bc4c00}
table{border-collapse:collapse;font-size:13px;width:100%;margin:4px 0}th,td{padding:4px 8px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}td.num,th.num{text-align:right;white-space:nowrap}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}dt{color:#59636e}dd{margin:0}
pre{background:#f6f8fa;border:1px solid #eaeef2;border-radius:6px;padding:10px 12px;overflow-x:auto;font-size:12.5px;margin:4px 0 12px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.button{display:inline-block;background:#1f883d;color:#fff;border-radius:6px;padding:6px 14px;text-decoration:none;font-weight:600}
select{font-size:14px;padding:4px}footer{margin-top:40px;font-size:12px;color:#59636e}
`;

/** Filters the catalogue as one types: every word must occur in an entry's text. */
export const SEARCH_SCRIPT = `
const box = document.getElementById('search');
const entries = [...document.querySelectorAll('li.entry')];
function filter() {
  const words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
  let shown = 0;
  for (const entry of entries) {
    entry.hidden = !words.every((w) => entry.dataset.search.includes(w));
    if (!entry.hidden) shown++;
  }
  for (const section of document.querySelectorAll('section.kind'))
    section.hidden = !section.querySelector('li.entry:not([hidden])');
  document.getElementById('none').hidden = shown > 0;
  document.getElementById('count').textContent = shown + ' of ' + entries.length + ' shown';
}
box.addEventListener('input', filter);
filter();
`;

/** Fills the access request for the team picked: the substitution of request-access.ts's fillRequest and requestUrl. */
export const REQUEST_SCRIPT = `
const form = document.getElementById('request');
const pick = form.querySelector('select');
function fill() {
  const values = pick.selectedOptions[0].dataset;
  const content = form.dataset.template.replace(/__(NAME|TEAM|OWNER|SUBJECT)__/g, (_, key) => values[key.toLowerCase()]);
  form.querySelector('pre code').textContent = content;
  form.querySelector('.file-name').textContent = values.name + '.yaml';
  const link = form.querySelector('a.button');
  if (link) link.href = form.dataset.base + encodeURIComponent(values.name + '.yaml') + '&content=' + encodeURIComponent(content);
}
pick.addEventListener('change', fill);
fill();
`;

export interface PageFrame {
  title: string;
  /** Already markup. */
  body: string;
  footer: string;
  script?: string;
}

export function page(frame: PageFrame): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(frame.title)}</title><link rel="icon" href="data:,"><style>${CSS}</style></head>
<body><main>
${frame.body}
<footer>${frame.footer}</footer>
</main>${frame.script ? `<script>${frame.script}</script>` : ''}</body></html>
`;
}

/** Escaped text; the shorthand every page uses for what the config gave it. */
export const t = escapeHtml;

export function table(head: string[], rows: string[][], numeric: number[] = []): string {
  const cell = (tag: string, i: number, html: string) => `<${tag}${numeric.includes(i) ? ' class="num"' : ''}>${html}</${tag}>`;
  return `<table><thead><tr>${head.map((h, i) => cell('th', i, t(h))).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => cell('td', i, c)).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function definitions(items: [string, string][]): string {
  return `<dl>${items.map(([k, v]) => `<dt>${t(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

export function codeBlock(code: string): string {
  return `<pre><code>${t(code)}</code></pre>`;
}

export function link(href: string, text: string, cls?: string): string {
  return `<a href="${t(href)}"${cls ? ` class="${cls}"` : ''}>${t(text)}</a>`;
}
