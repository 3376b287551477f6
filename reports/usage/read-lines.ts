// Streams a byte source line by line with a constant memory footprint. A hand-written splitter on Buffers:
// about twice as fast as node:readline here (measurements in README.md).
import type { Readable } from 'node:stream';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** Calls `onLine` for every line (without its `\n` or `\r\n`) with its 1-based number; resolves to the count. */
export async function forEachLine(input: Readable, onLine: (line: string, lineNumber: number) => void): Promise<number> {
  // Only the unfinished tail of a chunk is copied; UTF-8 never has 0x0a inside a multi-byte character.
  let carry: Buffer | undefined;
  let lineNumber = 0;
  const emit = (buffer: Buffer, start: number, end: number): void => {
    if (end > start && buffer[end - 1] === CARRIAGE_RETURN) end--;
    onLine(buffer.toString('utf8', start, end), ++lineNumber);
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    // Streams in text mode (setEncoding, Readable.from(strings)) hand out strings.
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    let end = data.indexOf(NEWLINE);
    if (carry) {
      if (end === -1) {
        carry = Buffer.concat([carry, data]);
        continue;
      }
      const joined = Buffer.concat([carry, data.subarray(0, end)]);
      emit(joined, 0, joined.length);
      start = end + 1;
      end = data.indexOf(NEWLINE, start);
    }
    for (; end !== -1; end = data.indexOf(NEWLINE, start)) {
      emit(data, start, end);
      start = end + 1;
    }
    carry = start < data.length ? Buffer.from(data.subarray(start)) : undefined;
  }
  if (carry) emit(carry, 0, carry.length);
  return lineNumber;
}
