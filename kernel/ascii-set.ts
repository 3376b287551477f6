// A set of ASCII characters as a table indexed by char code: the scanners that walk a text character by character
// on a stream's every chunk test membership with one lookup (a char code past 127 reads as absent).

/** The table of `chars`: `set[code] === 1` for each of them. */
export function asciiSet(chars: string): Uint8Array {
  const set = new Uint8Array(128);
  for (const c of chars) set[c.charCodeAt(0)] = 1;
  return set;
}
