// Byte classes of HTTP/1.1 (RFC 9110 §5.6.2, §5.5), as 256-entry tables: one array load per byte on the parsing
// path, where a regular expression would need a string per field.

/** `tchar`: the bytes of a header name. */
export const TOKEN = table((c) => c > 0x20 && c < 0x7f && !'"(),/:;<=>?@[\\]{}'.includes(String.fromCharCode(c)));

/** The bytes of a header value, a reason phrase or a chunk extension: HTAB, visible ASCII, SP and obs-text. */
export const FIELD = table((c) => c === 0x09 || (c >= 0x20 && c !== 0x7f));

/** A header name's token, as `TOKEN` in one test per name (request headers come as strings). */
export const TOKEN_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A character a request header value may not hold (`FIELD`'s complement, and anything past latin1). */
export const NOT_FIELD = /[^\t\x20-\x7e\x80-\xff]/;

function table(test: (c: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = test(c) ? 1 : 0;
  return t;
}

/** Whether `text[start, end)` is `lower` (a lower-case name) in any case; `text` is a validated token there. */
export function isName(text: string, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  // Within tokens, setting 0x20 maps exactly the ASCII capitals onto the lower-case letters (and '-' onto itself).
  for (let i = 0; i < lower.length; i++) if ((text.charCodeAt(start + i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}
