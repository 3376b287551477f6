// Many small entries in one byte string: a count, then each entry's sha256 key and length, then their bytes.
// Reading and writing one file instead of ten thousand is what makes a large repo's cache cheap.

const KEY_BYTES = 32;
const ROW_BYTES = KEY_BYTES + 4;

/** Hex key -> bytes, in one buffer. */
export function encodePack(entries: ReadonlyMap<string, Uint8Array>): Buffer {
  const index = Buffer.alloc(4 + entries.size * ROW_BYTES);
  index.writeUInt32LE(entries.size, 0);
  let row = 4;
  for (const [key, bytes] of entries) {
    index.write(key, row, KEY_BYTES, 'hex');
    index.writeUInt32LE(bytes.length, row + KEY_BYTES);
    row += ROW_BYTES;
  }
  return Buffer.concat([index, ...entries.values()]);
}

/** The entries of a pack (views into `pack`), or undefined when it is not a well-formed pack. */
export function decodePack(pack: Buffer): Map<string, Buffer> | undefined {
  if (pack.length < 4) return undefined;
  const count = pack.readUInt32LE(0);
  let at = 4 + count * ROW_BYTES;
  if (at > pack.length) return undefined;
  const entries = new Map<string, Buffer>();
  for (let row = 4; row < 4 + count * ROW_BYTES; row += ROW_BYTES) {
    const length = pack.readUInt32LE(row + KEY_BYTES);
    if (at + length > pack.length) return undefined;
    entries.set(pack.toString('hex', row, row + KEY_BYTES), pack.subarray(at, at + length));
    at += length;
  }
  return at === pack.length ? entries : undefined;
}
