// Text and attribute values in HTML: every report page escapes what the config or a log gave it.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
