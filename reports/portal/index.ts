// `modelgate portal`: a static developer portal of one environment, as files by path. Links between pages are
// relative and name index.html, since file:// has no server to resolve `/` or a folder; no page loads anything.
import { buildCatalogue, type PortalInput } from './catalogue.ts';
import { entryPage, indexPage } from './pages.ts';

export type { PortalInput } from './catalogue.ts';

export function renderPortal(input: PortalInput): Record<string, string> {
  const catalogue = buildCatalogue(input);
  const files: Record<string, string> = { 'index.html': indexPage(catalogue) };
  for (const entry of [...catalogue.routes, ...catalogue.prompts, ...catalogue.mcpServers]) files[entry.page] = entryPage(entry, catalogue);
  return files;
}
