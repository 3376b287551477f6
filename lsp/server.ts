// `modelgate lsp`: the language server. Open buffers are compiled with the files on disk by the pipeline of
// `modelgate validate`, and every answer (diagnostics, completion, navigation, rename, quick fixes) is read from
// the latest compiled snapshot.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  type Connection,
  createConnection,
  type InitializeParams,
  type InitializeResult,
  ResponseError,
  ErrorCodes,
  FileChangeType,
  TextDocumentSyncKind,
  TextDocuments,
  type WorkspaceEdit,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { VERSION } from '../kernel/version.ts';
import { schemaKeyword } from '../schema/schema-node.ts';
import { completions } from './completion.ts';
import { suggestionFix, toEditorDiagnostic } from './diagnostics.ts';
import { schemaLinks } from './document-links.ts';
import { hover } from './hover.ts';
import { lineContext } from './line-context.ts';
import { Navigation, type NameSpan } from './navigation.ts';
import type { Target } from './reference-sites.ts';
import { schemaAt } from './schema-docs.ts';
import { pathToUri, rangeContains, uriToPath } from './positions.ts';
import { Workspace, type Snapshot } from './workspace.ts';

export interface ServerOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The config root when the editor names no workspace folder (nor `initializationOptions.root`). */
  root?: string;
  maxFileBytes?: number;
}

/** Edits arriving closer together than this are compiled once, after the last. */
const DEBOUNCE_MS = 20;

export function startServer(options: ServerOptions): Connection {
  const connection = createConnection(options.input, options.output);
  const documents = new TextDocuments(TextDocument);
  let workspace: Workspace | undefined;
  let state: { snapshot: Snapshot; readonly navigation: Navigation } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const published = new Map<string, string>();

  const current = () => {
    if (!state) {
      const snapshot = workspace!.compile();
      // Indexed on the first navigation request, not before the diagnostics go out.
      let navigation: Navigation | undefined;
      state = {
        snapshot,
        get navigation() {
          return (navigation ??= new Navigation(snapshot));
        },
      };
      publish(snapshot);
    }
    return state;
  };
  const changed = (): void => {
    state = undefined;
    clearTimeout(timer);
    timer = setTimeout(current, DEBOUNCE_MS);
  };
  const publish = (snapshot: Snapshot): void => {
    const byUri = new Map<string, ReturnType<typeof toEditorDiagnostic>[]>();
    for (const d of snapshot.diagnostics) {
      const uri = pathToUri(workspace!.root, d.file);
      if (!byUri.has(uri)) byUri.set(uri, []);
      byUri.get(uri)!.push(toEditorDiagnostic(d));
    }
    for (const uri of new Set([...published.keys(), ...byUri.keys()])) {
      const diagnostics = byUri.get(uri) ?? [];
      const key = JSON.stringify(diagnostics);
      if (published.get(uri) === key) continue;
      if (diagnostics.length) published.set(uri, key);
      else published.delete(uri);
      void connection.sendDiagnostics({ uri, diagnostics });
    }
  };
  const pathOf = (uri: string): string | undefined => workspace && uriToPath(workspace.root, uri);
  const location = (span: NameSpan) => ({ uri: pathToUri(workspace!.root, span.file), range: span.range });

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const root = configRoot(params, options.root);
    // A misspelt root otherwise fails as a bare ENOENT, and every later request on an undefined workspace.
    if (!existsSync(root) || !statSync(root).isDirectory()) {
      throw new ResponseError(
        ErrorCodes.InvalidParams,
        `The config root ${root} is not a folder: set initializationOptions.root (VS Code: modelgate.root) to the config's folder, relative to the workspace folder.`,
      );
    }
    workspace = new Workspace(root, { maxFileBytes: options.maxFileBytes });
    return {
      serverInfo: { name: 'modelgate', version: VERSION },
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [':', ' ', '-', '/'] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentLinkProvider: { resolveProvider: false },
      },
    };
  });
  connection.onInitialized(() => current());

  documents.onDidChangeContent(({ document }) => {
    const path = pathOf(document.uri);
    if (path === undefined) return;
    workspace!.setBuffer(path, document.getText());
    changed();
  });
  documents.onDidClose(({ document }) => {
    const path = pathOf(document.uri);
    if (path === undefined) return;
    workspace!.closeBuffer(path);
    changed();
  });
  // A save or a change outside the editor (a checkout, a pull): the buffer closed later falls back to this text.
  const onDisk = (uri: string): void => {
    const path = pathOf(uri);
    if (path === undefined) return;
    workspace!.refresh(path);
    changed();
  };
  documents.onDidSave(({ document }) => onDisk(document.uri));
  connection.onDidChangeWatchedFiles(({ changes }) => {
    // Files created or deleted change what the repo holds: read it again, once for the whole batch.
    if (changes.every((c) => c.type === FileChangeType.Changed)) return changes.forEach((c) => onDisk(c.uri));
    workspace!.reload();
    changed();
  });

  connection.onCompletion(({ textDocument, position }) => {
    const document = documents.get(textDocument.uri);
    if (!document || pathOf(textDocument.uri) === undefined) return [];
    return completions(lineContext(document.getText(), position), current().snapshot.result.resources);
  });
  connection.onHover(({ textDocument, position }) => {
    const document = documents.get(textDocument.uri);
    const path = pathOf(textDocument.uri);
    if (!document || path === undefined) return null;
    const { snapshot, navigation } = current();
    return hover(snapshot, navigation, path, document.getText(), position);
  });
  const targetAt = (uri: string, position: { line: number; character: number }) => {
    const path = pathOf(uri);
    return path === undefined ? undefined : current().navigation.targetAt(path, position);
  };
  connection.onDefinition(({ textDocument, position }) => {
    const target = targetAt(textDocument.uri, position);
    const span = target && current().navigation.declaration(target);
    return span ? location(span) : null;
  });
  connection.onReferences(({ textDocument, position, context }) => {
    const target = targetAt(textDocument.uri, position);
    if (!target) return [];
    const { navigation } = current();
    const declaration = context.includeDeclaration ? navigation.declaration(target) : undefined;
    return [...(declaration ? [declaration] : []), ...navigation.references(target)].map(location);
  });
  connection.onPrepareRename(({ textDocument, position }) => {
    const target = targetAt(textDocument.uri, position);
    const path = pathOf(textDocument.uri);
    if (!target || path === undefined) return null;
    const { navigation } = current();
    const spans = [navigation.declaration(target), ...navigation.references(target)];
    const here = spans.find((s) => s && s.file === path && rangeContains(s.range, position));
    return here ? { range: here.range, placeholder: target.name } : null;
  });
  connection.onRenameRequest(({ textDocument, position, newName }): WorkspaceEdit => {
    const target = targetAt(textDocument.uri, position);
    if (!target) throw new ResponseError(ErrorCodes.InvalidRequest, 'There is no resource or model name here to rename.');
    const { navigation } = current();
    if (!acceptsName(target, newName)) {
      throw new ResponseError(ErrorCodes.InvalidParams, `"${shown(newName)}" is not a valid name here.`);
    }
    if (navigation.isTaken(target, newName)) {
      throw new ResponseError(ErrorCodes.InvalidParams, `${target.kind} "${shown(newName)}" exists already: pick another name.`);
    }
    const changes = Object.fromEntries(
      [...navigation.renameEdits(target, newName)].map(([file, edits]) => [pathToUri(workspace!.root, file), edits]),
    );
    return { changes };
  });
  connection.onCodeAction(({ textDocument, context }) => {
    const document = documents.get(textDocument.uri);
    if (!document) return [];
    return context.diagnostics.flatMap((d) => suggestionFix(d, textDocument.uri, document.getText()) ?? []);
  });
  connection.onDocumentLinks(({ textDocument }) => {
    const document = documents.get(textDocument.uri);
    return document ? schemaLinks(textDocument.uri, document.getText()) : [];
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}

/** A requested name as a message shows it: its start only, however much was pasted. */
function shown(name: string): string {
  return name.length > 100 ? `${name.slice(0, 100)}…` : name;
}

/**
 * Whether the schema accepts the new name where the target is declared (a resource's `metadata.name`, a prompt
 * version's key). A model id or an issuer is any string there: one word that stays a plain YAML scalar in a flow
 * list (`meta-llama/Llama-3.1-8B-Instruct`, `anthropic.claude-v2:1`, `https://idp.example`).
 */
function acceptsName(target: Target, name: string): boolean {
  if (target.kind === 'Model' || target.kind === 'JwtIssuer') return /^[A-Za-z0-9][^\s,[\]{}]*$/.test(name);
  const declared = target.kind === 'PromptVersion' ? undefined : schemaAt(target.kind, ['metadata', 'name'])!;
  const rule = (
    declared
      ? { pattern: schemaKeyword(declared, 'pattern'), maxLength: schemaKeyword(declared, 'maxLength') }
      : schemaKeyword(schemaAt('Prompt', ['spec', 'versions'])!, 'propertyNames')
  ) as { pattern?: string; maxLength?: number };
  return (rule.pattern === undefined || new RegExp(rule.pattern, 'u').test(name)) && name.length <= (rule.maxLength ?? Infinity);
}

/**
 * `initializationOptions.root` (absolute, or relative to the workspace folder, and inside it), else the workspace
 * folder, else `root`.
 */
function configRoot(params: InitializeParams, root: string | undefined): string {
  const folderUri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  const folder = folderUri?.startsWith('file:') ? fileURLToPath(folderUri) : undefined;
  const option = (params.initializationOptions as { root?: unknown } | undefined)?.root;
  if (typeof option !== 'string' || option === '') return folder ?? resolve(root ?? '.');
  const chosen = resolve(folder ?? process.cwd(), option);
  // The server reads every YAML file under the root: never beyond the folder the user opened.
  const inside = folder === undefined ? '' : relative(folder, chosen);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      `The config root ${chosen} is outside the workspace folder ${folder}: set initializationOptions.root (VS Code: modelgate.root) to a folder inside it, relative to it.`,
    );
  }
  return chosen;
}
