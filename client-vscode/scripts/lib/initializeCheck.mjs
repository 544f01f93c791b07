// @ts-check
// Starts a language server and walks it through initialize -> initialized -> (optionally
// didOpen -> publishDiagnostics) -> shutdown -> exit, as an editor would.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspProcess, withTimeout } from './jsonrpc.mjs';

/** A few lines that a machine-learning reviewer (and a general linter) has things to say about. */
const SAMPLE_SOURCE = [
    'import os',
    'from sklearn.model_selection import train_test_split',
    'from sklearn.preprocessing import StandardScaler',
    '',
    'def prepare(X, y):',
    '    X = StandardScaler().fit_transform(X)',
    '    return train_test_split(X, y)',
    '',
].join('\n');

/** The settings object the extension sends by default (src/core/settings.ts). */
const DEFAULT_SETTINGS = { enable: true, logLevel: 'info' };

/** Roughly what VS Code declares, trimmed to what matters for start-up. */
function clientCapabilities() {
    return {
        general: { positionEncodings: ['utf-16'] },
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
        textDocument: {
            synchronization: { didSave: true, dynamicRegistration: true },
            publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
            hover: { contentFormat: ['markdown', 'plaintext'] },
            codeAction: {
                codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'source', 'source.fixAll'] } },
                resolveSupport: { properties: ['edit'] },
                dataSupport: true,
            },
        },
        notebookDocument: { synchronization: { dynamicRegistration: true, executionSummarySupport: true } },
        window: { workDoneProgress: true, showMessage: {} },
    };
}

/**
 * @param {{ command: string[], cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number, openSample?: boolean, log?: (line: string) => void }} options
 * @returns {Promise<{ serverInfo: unknown, capabilities: string[], diagnostics?: unknown[] }>}
 */
export async function runInitializeCheck(options) {
    const log = options.log ?? ((line) => console.log(line));
    const timeoutMs = options.timeoutMs ?? 30_000;
    const workspace = mkdtempSync(path.join(tmpdir(), 'lsp-check-'));
    const server = new LspProcess(options.command, {
        cwd: options.cwd ?? workspace,
        env: options.env,
        answer: (method, params) => (method === 'workspace/configuration' ? params.items.map(() => DEFAULT_SETTINGS) : null),
    });
    try {
        const started = Date.now();
        const result = await server.request('initialize', initializeParams(workspace), timeoutMs);
        if (typeof result?.capabilities !== 'object' || result.capabilities === null) {
            throw new Error(`initialize answered without capabilities: ${JSON.stringify(result)}`);
        }
        log(`initialize answered in ${Date.now() - started} ms by ${JSON.stringify(result.serverInfo ?? null)}`);
        log(`capabilities: ${Object.keys(result.capabilities).sort().join(', ')}`);
        server.notify('initialized', {});
        server.notify('workspace/didChangeConfiguration', { settings: { mlreview: DEFAULT_SETTINGS } });

        const diagnostics = options.openSample ? await openSample(server, workspace, timeoutMs, log) : undefined;

        await server.request('shutdown', null, timeoutMs);
        server.notify('exit');
        const exit = await withTimeout(server.exited, 5_000, 'the server did not exit within 5 s of the exit notification');
        if (exit.code !== 0) throw new Error(`the server exited with ${exit.code ?? exit.signal} after shutdown/exit (expected 0)`);
        log('shutdown and exit: clean (exit code 0)');
        return { serverInfo: result.serverInfo, capabilities: Object.keys(result.capabilities), diagnostics };
    } catch (error) {
        const stderr = server.stderr.trim().split('\n').slice(-20).join('\n');
        throw new Error(`${error instanceof Error ? error.message : String(error)}${stderr ? `\n--- server stderr (last lines) ---\n${stderr}` : ''}`, { cause: error });
    } finally {
        server.kill();
        rmSync(workspace, { recursive: true, force: true });
    }
}

/** @param {string} workspace */
function initializeParams(workspace) {
    const uri = pathToFileURL(workspace).href;
    return {
        processId: process.pid,
        clientInfo: { name: 'mlreview-lsp-check', version: '1' },
        rootUri: uri,
        workspaceFolders: [{ uri, name: path.basename(workspace) }],
        capabilities: clientCapabilities(),
        initializationOptions: DEFAULT_SETTINGS,
    };
}

/**
 * Opens a small file and waits for the server to publish diagnostics for it.
 * @param {LspProcess} server @param {string} workspace @param {number} timeoutMs @param {(line: string) => void} log
 */
async function openSample(server, workspace, timeoutMs, log) {
    const file = path.join(workspace, 'train.py');
    writeFileSync(file, SAMPLE_SOURCE);
    const uri = pathToFileURL(file).href;
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: SAMPLE_SOURCE } });
    const message = await server.waitFor(
        (m) => m.method === 'textDocument/publishDiagnostics' && m.params?.uri === uri,
        timeoutMs,
        `diagnostics published for ${uri}`,
    );
    /** @type {any[]} */
    const published = message.params.diagnostics;
    const codes = published.map((diagnostic) => `${diagnostic.code ?? '?'}@${diagnostic.range.start.line + 1}`);
    log(`diagnostics for the sample: ${codes.length ? codes.join(', ') : 'none'}`);
    return published;
}
