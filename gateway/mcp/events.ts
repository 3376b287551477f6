// One server-sent event of an MCP stream: its id, retry hint and data read from the bytes, and written back out.

export interface McpEvent {
  id?: string;
  retry?: string;
  /** The data lines joined by `\n`; '' for an event without data (a priming event that only carries an id). */
  data: string;
}

/** The event in `raw` (one whole event with its terminator), or undefined when it holds only comments. */
export function readEvent(raw: Buffer): McpEvent | undefined {
  let id: string | undefined;
  let retry: string | undefined;
  const data: string[] = [];
  let fields = 0;
  for (const line of raw.toString('utf8').split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(line[colon + 1] === ' ' ? colon + 2 : colon + 1);
    fields++;
    if (name === 'data') data.push(value);
    else if (name === 'id') id = value;
    else if (name === 'retry') retry = value;
  }
  return fields === 0 ? undefined : { id, retry, data: data.join('\n') };
}

export function writeEvent(e: McpEvent): string {
  let out = 'event: message\n';
  if (e.id !== undefined) out += `id: ${e.id}\n`;
  if (e.retry !== undefined) out += `retry: ${e.retry}\n`;
  return `${out}data: ${e.data.replaceAll('\n', '\ndata: ')}\n\n`;
}
