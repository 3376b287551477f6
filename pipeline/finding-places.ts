// Where the targets' findings are in the source, by the content key of their resource (content-keys.ts): the key
// names the text of the resource's file (and of the overlay that patched it), so the same key and path are the same
// place, as the incremental engine takes a resource's check findings by it. Kept between runs (plan's cache), a
// build locates only the findings on resources its change touched: at 10,000 resources the targets report findings
// at 26,000 places, and locating them all costs about 0.2 s.
import type { Location } from '../kernel/diagnostics.ts';

/** One place of a resource, as stored: its path (JSON) and where it is. */
type Row = [path: string, file: string, line: number, column: number, endLine: number, endColumn: number];

export interface PlaceStore {
  /** Where `path` (the JSON of a DocPath) of the resource with content key `key` is, when known. */
  get(key: string, path: string): Location | undefined;
  set(key: string, path: string, location: Location): void;
  /** The entries this run read or added to (hex key -> bytes), and those it added to, to store. */
  entries(): { used: Map<string, Buffer>; added: Map<string, Buffer> };
}

/** Places in memory, starting from `stored` (entries by the hex of their content key, as `entries` gives them). */
export function placeStore(stored: ReadonlyMap<string, Uint8Array> = new Map()): PlaceStore {
  const byKey = new Map<string, Map<string, Location>>();
  const added = new Set<string>();
  const placesOf = (key: string): Map<string, Location> => {
    let places = byKey.get(key);
    if (!places) {
      const hex = hexOf(key);
      byKey.set(key, (places = decode(hex === undefined ? undefined : stored.get(hex))));
    }
    return places;
  };
  return {
    get: (key, path) => placesOf(key).get(path),
    set(key, path, location) {
      placesOf(key).set(path, location);
      added.add(key);
    },
    entries() {
      const used = new Map<string, Buffer>();
      const fresh = new Map<string, Buffer>();
      for (const [key, places] of byKey) {
        const hex = hexOf(key);
        if (hex === undefined || places.size === 0) continue;
        const bytes = added.has(key) ? encode(places) : Buffer.from(stored.get(hex)!);
        used.set(hex, bytes);
        if (added.has(key)) fresh.set(hex, bytes);
      }
      return { used, added: fresh };
    },
  };
}

/** A content key (a base64 sha256) as a stored entry's key: 64 hex digits; undefined for any other key. */
function hexOf(key: string): string | undefined {
  const hex = Buffer.from(key, 'base64').toString('hex');
  return hex.length === 64 && key.length === 44 ? hex : undefined;
}

function encode(places: ReadonlyMap<string, Location>): Buffer {
  const rows: Row[] = [...places].map(([path, l]) => [path, l.file, l.line, l.column, l.endLine, l.endColumn]);
  return Buffer.from(JSON.stringify(rows));
}

/** The places of an entry; none when there is no entry or it is not one (it is then located again). */
function decode(bytes: Uint8Array | undefined): Map<string, Location> {
  const places = new Map<string, Location>();
  if (!bytes) return places;
  let rows: unknown;
  try {
    rows = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return places;
  }
  if (!Array.isArray(rows) || !rows.every(isRow)) return places;
  for (const [path, file, line, column, endLine, endColumn] of rows) places.set(path, { file, line, column, endLine, endColumn });
  return places;
}

function isRow(row: unknown): row is Row {
  return (
    Array.isArray(row) &&
    row.length === 6 &&
    typeof row[0] === 'string' &&
    typeof row[1] === 'string' &&
    row.slice(2).every((n) => Number.isInteger(n))
  );
}
