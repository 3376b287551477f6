// Go-to-definition, find-references and rename over one compiled snapshot: every site that names a target,
// found through the reference table, located by the compiler's own source spans.
import type { Position, Range, TextEdit } from 'vscode-languageserver';
import type { Location } from '../kernel/diagnostics.ts';
import type { AnyResource } from '../kernel/resource.ts';
import { contains, lineStarts, positionOf } from './positions.ts';
import { declarationOf, declarationsIn, sameTarget, sitesOf, type Part, type Site, type Target } from './reference-sites.ts';
import type { Snapshot } from './workspace.ts';

/** A name in a file: its span and the part of the scalar that is the name. */
export interface NameSpan {
  file: string;
  range: Range;
}

export class Navigation {
  private readonly byId: Map<string, AnyResource>;
  private readonly sites: Site[];
  private readonly starts = new Map<string, number[]>();

  constructor(private readonly snapshot: Snapshot) {
    this.byId = new Map(snapshot.result.resources.map((r) => [r.id, r]));
    this.sites = snapshot.result.resources.flatMap(sitesOf);
  }

  get resources(): readonly AnyResource[] {
    return this.snapshot.result.resources;
  }

  /** The target named (or declared) at the position: a reference's value or a declaration's name. */
  targetAt(file: string, position: Position): Target | undefined {
    for (const site of this.sites) {
      if (site.resource.file === file && contains(site.resource.locate(site.path), position)) return site.target;
    }
    for (const r of this.resources) {
      if (r.file !== file) continue;
      const found = declarationsIn(r).find((d) => contains(r.locate(d.path, d.at), position));
      if (found) return found.target;
    }
    return undefined;
  }

  resource(id: string): AnyResource | undefined {
    return this.byId.get(id);
  }

  declaration(target: Target): NameSpan | undefined {
    const found = declarationOf(target, this.byId);
    return found && this.nameSpan(found.resource.locate(found.path, found.at), target.name, 'whole');
  }

  references(target: Target): NameSpan[] {
    return this.sites
      .filter((s) => sameTarget(s.target, target))
      .flatMap((s) => this.nameSpan(s.resource.locate(s.path), s.target.name, s.part) ?? []);
  }

  /** Every edit that renames the target: its declaration and each reference, grouped by file. */
  renameEdits(target: Target, newName: string): Map<string, TextEdit[]> {
    const edits = new Map<string, TextEdit[]>();
    const declaration = this.declaration(target);
    for (const span of [...(declaration ? [declaration] : []), ...this.references(target)]) {
      edits.set(span.file, [...(edits.get(span.file) ?? []), { range: span.range, newText: newName }]);
    }
    return edits;
  }

  /** Whether the name is taken already by another target of the same kind (and provider, for a model). */
  isTaken(target: Target, name: string): boolean {
    return declarationOf({ ...target, name }, this.byId) !== undefined;
  }

  /** The span of the name itself inside the scalar at `at`: without quotes, and only its side of `a/b`. */
  private nameSpan(at: Location, name: string, part: Part): NameSpan | undefined {
    const text = this.snapshot.texts.get(at.file);
    if (text === undefined) return undefined;
    const starts = this.lineStarts(at.file, text);
    const start = starts[at.line - 1]! + at.column - 1;
    const end = starts[at.endLine - 1]! + at.endColumn - 1;
    const token = text.slice(start, end);
    const quote = token[0] === '"' || token[0] === "'" ? 1 : 0;
    const inner = token.slice(quote, token.length - quote);
    const offset = part === 'suffix' ? inner.indexOf('/') + 1 : 0;
    if (inner.slice(offset, offset + name.length) !== name) return undefined;
    const from = start + quote + offset;
    return { file: at.file, range: { start: positionOf(starts, from), end: positionOf(starts, from + name.length) } };
  }

  private lineStarts(file: string, text: string): number[] {
    let starts = this.starts.get(file);
    if (!starts) this.starts.set(file, (starts = lineStarts(text)));
    return starts;
  }
}
