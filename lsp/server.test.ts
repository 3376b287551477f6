// Drives `modelgate lsp` over stdio as an editor does, on a copy of fixtures/acme: diagnostics of a typo'd
// reference with the CLI's rule id and a quick fix, completion, definition, references, rename, shutdown.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  Location,
  PublishDiagnosticsParams,
  Range,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { runMain } from '../test/support/run-main.ts';

const BIN = fileURLToPath(new URL('../bin/modelgate.mjs', import.meta.url));
const ACME = fileURLToPath(new URL('../fixtures/acme/', import.meta.url));

let dir: string;
let child: ChildProcess;
let connection: MessageConnection;
const diagnostics = new Map<string, Diagnostic[]>();
const waiters: { uri: string; test: (d: Diagnostic[]) => boolean; done: (d: Diagnostic[]) => void }[] = [];

const uri = (path: string) => pathToFileURL(join(dir, path)).href;
const read = (path: string) => readFileSync(join(dir, path), 'utf8');

/** The diagnostics of a document once they satisfy `test` (now, or when the server next publishes them). */
function diagnosticsOf(path: string, test: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
  const current = diagnostics.get(uri(path)) ?? [];
  if (test(current)) return Promise.resolve(current);
  return new Promise((done) => waiters.push({ uri: uri(path), test, done }));
}

function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x.yaml', 'yaml', 0, text), edits);
}

/** The position of the `occurrence`-th `needle` on the first line holding `line`. */
function positionOf(text: string, line: string, needle: string) {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.includes(line));
  expect(at, `line "${line}"`).toBeGreaterThanOrEqual(0);
  return { line: at, character: lines[at]!.indexOf(needle) + 1 };
}

function textAt(text: string, range: Range): string {
  const doc = TextDocument.create('file:///x.yaml', 'yaml', 0, text);
  return doc.getText(range);
}

let version = 1;
async function change(path: string, text: string): Promise<void> {
  await connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: uri(path), version: ++version },
    contentChanges: [{ text }],
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'modelgate-lsp-'));
  cpSync(ACME, dir, { recursive: true });
  child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
  connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    diagnostics.set(params.uri, params.diagnostics);
    for (const w of [...waiters]) {
      if (w.uri === params.uri && w.test(params.diagnostics)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done(params.diagnostics);
      }
    }
  });
  connection.listen();
  const init = await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'acme' }],
    capabilities: {},
  });
  expect(init).toMatchObject({ capabilities: { renameProvider: { prepareProvider: true }, definitionProvider: true } });
  await connection.sendNotification('initialized', {});
}, 60_000);

afterAll(() => {
  connection?.dispose();
  if (child && child.exitCode === null) child.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('modelgate lsp over stdio', () => {
  const route = 'routes/chat-cheap.yaml';

  it('reports a typo in an unsaved buffer as the CLI does, with a quick fix that repairs it', async () => {
    const original = read(route);
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(route), languageId: 'yaml', version, text: original },
    });
    const typo = original.replace('- provider: openai', '- provider: opnai');
    expect(typo).not.toBe(original);
    await change(route, typo);
    const found = await diagnosticsOf(route, (d) => d.some((x) => x.severity === 1));
    const error = found.find((d) => d.severity === 1)!;

    // The CLI on the same text: same rule id, message and position.
    const saved = mkdtempSync(join(tmpdir(), 'modelgate-lsp-cli-'));
    cpSync(dir, saved, { recursive: true });
    writeFileSync(join(saved, route), typo);
    const cli = await runMain('validate', saved, '--format', 'json');
    rmSync(saved, { recursive: true, force: true });
    expect(cli.code).toBe(1);
    const cliErrors = (
      JSON.parse(cli.stdout).diagnostics as { ruleId: string; message: string; line: number; column: number; file: string }[]
    ).filter((d) => d.file === route);
    expect(cliErrors).toHaveLength(1);
    expect(error.code).toBe(cliErrors[0]!.ruleId);
    expect(error.code).toBe('reference');
    expect(error.message.split('\n')[0]).toBe(cliErrors[0]!.message);
    expect(error.range.start).toEqual({ line: cliErrors[0]!.line - 1, character: cliErrors[0]!.column - 1 });
    expect(textAt(typo, error.range)).toBe('opnai');

    const actions: CodeAction[] = await connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uri(route) },
      range: error.range,
      context: { diagnostics: [error] },
    });
    expect(actions.map((a) => a.title)).toEqual(['Change to "openai"']);
    const fixed = applyEdits(typo, actions[0]!.edit!.changes![uri(route)]!);
    expect(fixed).toBe(original);
    await change(route, fixed);
    await diagnosticsOf(route, (d) => d.length === 0);
  });

  it('completes provider names where a route names its provider', async () => {
    const text = read(route);
    const position = positionOf(text, '- provider: vllm', 'vllm');
    const items: CompletionItem[] = await connection.sendRequest('textDocument/completion', {
      textDocument: { uri: uri(route) },
      position: { ...position, character: position.character + 2 },
    });
    expect(items.map((i) => i.label).sort()).toEqual(['anthropic', 'azure-openai', 'openai', 'vllm']);
  });

  it('goes to the definition of a provider and of a model', async () => {
    const text = read(route);
    const provider: Location = await connection.sendRequest('textDocument/definition', {
      textDocument: { uri: uri(route) },
      position: positionOf(text, '- provider: vllm', 'vllm'),
    });
    expect(provider.uri).toBe(uri('providers/vllm.yaml'));
    expect(textAt(read('providers/vllm.yaml'), provider.range)).toBe('vllm');
    expect(read('providers/vllm.yaml').split('\n')[provider.range.start.line]).toMatch(/^ {2}name: vllm$/);

    const model: Location = await connection.sendRequest('textDocument/definition', {
      textDocument: { uri: uri(route) },
      position: positionOf(text, 'model: gpt-4o-mini', 'gpt'),
    });
    expect(model.uri).toBe(uri('providers/openai.yaml'));
    expect(textAt(read('providers/openai.yaml'), model.range)).toBe('gpt-4o-mini');
  });

  it('finds every reference to a route, in flow lists, patches and prompts', async () => {
    const path = 'routes/chat-default.yaml';
    const refs: Location[] = await connection.sendRequest('textDocument/references', {
      textDocument: { uri: uri(path) },
      position: positionOf(read(path), 'name: chat-default', 'chat'),
      context: { includeDeclaration: false },
    });
    const where = refs.map((r) => `${r.uri.slice(pathToFileURL(dir).href.length + 1)}:${r.range.start.line + 1}`).sort();
    expect(where).toEqual([
      'access/payments.yaml:13',
      'access/support.yaml:13',
      'environments/prod.yaml:32',
      'environments/staging.yaml:21',
      'prompts/support-reply.yaml:11',
    ]);
    for (const r of refs) expect(textAt(read(r.uri.slice(pathToFileURL(dir).href.length + 1)), r.range)).toBe('chat-default');
  });

  it('renames a route across the repo, and the repo still validates', async () => {
    const path = 'routes/chat-default.yaml';
    const position = positionOf(read(path), 'name: chat-default', 'chat');
    const prepared = await connection.sendRequest('textDocument/prepareRename', { textDocument: { uri: uri(path) }, position });
    expect(prepared).toMatchObject({ placeholder: 'chat-default' });
    await expect(
      connection.sendRequest('textDocument/rename', { textDocument: { uri: uri(path) }, position, newName: 'chat-premium' }),
    ).rejects.toThrow(/exists already/);
    // What the schema refuses as a metadata.name (upper case, "_", over 63 characters) is refused before any edit.
    for (const newName of ['Chat_Standard', 'chat-', 'c'.repeat(64)]) {
      await expect(
        connection.sendRequest('textDocument/rename', { textDocument: { uri: uri(path) }, position, newName }),
        newName,
      ).rejects.toThrow(/not a valid name/);
    }
    // A pasted wall of text is named by its start, not echoed whole into the editor's message.
    const long = 'c'.repeat(100_000);
    const refused = await connection.sendRequest('textDocument/rename', { textDocument: { uri: uri(path) }, position, newName: long }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(refused).toBe(`"${'c'.repeat(100)}…" is not a valid name here.`);
    // A model id is the provider's: a slash or a colon is fine there (Hugging Face, Bedrock ids).
    const vllm = 'providers/vllm.yaml';
    const model: WorkspaceEdit = await connection.sendRequest('textDocument/rename', {
      textDocument: { uri: uri(vllm) },
      position: positionOf(read(vllm), 'name: meta-llama/', 'meta'),
      newName: 'meta-llama/Llama-3.2-3B-Instruct:v1',
    });
    expect(
      Object.values(model.changes!)
        .flat()
        .map((e) => e.newText),
    ).toContain('meta-llama/Llama-3.2-3B-Instruct:v1');
    const edit: WorkspaceEdit = await connection.sendRequest('textDocument/rename', {
      textDocument: { uri: uri(path) },
      position,
      newName: 'chat-standard',
    });
    const files = Object.keys(edit.changes!).map((u) => u.slice(pathToFileURL(dir).href.length + 1));
    expect(files.sort()).toEqual([
      'access/payments.yaml',
      'access/support.yaml',
      'environments/prod.yaml',
      'environments/staging.yaml',
      'prompts/support-reply.yaml',
      'routes/chat-default.yaml',
    ]);
    for (const [u, edits] of Object.entries(edit.changes!)) {
      const file = u.slice(pathToFileURL(dir).href.length + 1);
      writeFileSync(join(dir, file), applyEdits(read(file), edits));
    }
    expect(read('access/payments.yaml')).toContain('routes: [chat-standard, chat-premium]');
    const validated = await runMain('validate', dir);
    expect(validated.stdout).toContain('No problems');
    expect(validated.code).toBe(0);
  });

  it('answers or ignores what a broken editor sends: not YAML, past the end, outside the root, never opened', async () => {
    const far = { line: 99_999, character: 99_999 };
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri('routes/junk.yaml'), languageId: 'yaml', version: 1, text: '\u0000{{{ ]]] : :\n\tkey: [\n' },
    });
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri('routes/never-opened.yaml'), version: 2 },
      contentChanges: [{ range: { start: far, end: far }, text: 'x' }],
    });
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: pathToFileURL(join(dir, '..', 'outside.yaml')).href, languageId: 'yaml', version: 1, text: 'kind: Route' },
    });
    for (const method of ['textDocument/hover', 'textDocument/definition', 'textDocument/prepareRename']) {
      expect(await connection.sendRequest(method, { textDocument: { uri: uri('routes/junk.yaml') }, position: far }), method).toBeNull();
    }
    const outside = { textDocument: { uri: pathToFileURL(join(dir, '..', 'outside.yaml')).href }, position: { line: 0, character: 2 } };
    expect(await connection.sendRequest('textDocument/completion', outside)).toEqual([]);
    const junk = await diagnosticsOf('routes/junk.yaml', (d) => d.length > 0);
    expect(junk[0]!.code).toBe('yaml-syntax');
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri('routes/junk.yaml') } });
    await diagnosticsOf('routes/junk.yaml', (d) => d.length === 0);
  });

  it('shuts down and exits on request', async () => {
    await connection.sendRequest('shutdown');
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    await connection.sendNotification('exit');
    expect(await exited).toBe(0);
  });
});

/** Starts a server of its own, sends `initialize` with these params, and shuts it down: its answer or refusal. */
async function initializeAlone(params: object): Promise<unknown> {
  const server = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: tmpdir(), stdio: ['pipe', 'pipe', 'inherit'] });
  const client = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  client.listen();
  try {
    return await client.sendRequest('initialize', { processId: process.pid, capabilities: {}, ...params });
  } finally {
    const exited = new Promise<number | null>((done) => server.once('exit', (code) => done(code)));
    await client.sendRequest('shutdown');
    await client.sendNotification('exit');
    expect(await exited).toBe(0);
    client.dispose();
  }
}

describe('modelgate lsp without its config root', () => {
  it('refuses to initialize with what to set when the root is not a folder, and exits cleanly', async () => {
    const missing = pathToFileURL(join(tmpdir(), 'modelgate-lsp-no-such-folder')).href;
    await expect(initializeAlone({ rootUri: missing, initializationOptions: { root: 'confg' } })).rejects.toThrow(
      /config root .*confg is not a folder: set initializationOptions\.root/,
    );
  });

  it('refuses a root outside the workspace folder, which would read YAML there', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'modelgate-lsp-folder-'));
    try {
      for (const root of ['../../../etc', tmpdir()]) {
        await expect(
          initializeAlone({ workspaceFolders: [{ uri: pathToFileURL(folder).href, name: 'w' }], initializationOptions: { root } }),
          root,
        ).rejects.toThrow(/is outside the workspace folder .*modelgate-lsp-folder-.*: set initializationOptions\.root/);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
