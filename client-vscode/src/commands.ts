// The palette commands. fixAll and showRule share their ids with the server's commands,
// so code actions that name them land here too and their arguments are passed through.

import * as vscode from 'vscode';
import type { WorkspaceEdit } from 'vscode-languageclient/node';
import { COMMAND_IDS } from './core/commandIds';
import {
    fixAllArguments,
    fixAllOutcome,
    normalizeRuleCode,
    reportWithRelativeLinks,
    ruleDocsMarkdown,
    shippedRuleDocUri,
    SERVER_FIX_ALL,
    SERVER_SHOW_REPORT,
    SERVER_SHOW_RULE,
} from './core/serverCommands';
import { ServerNotRunningError, type ServerController } from './server';

/** Read-only documents for rule pages that are not shipped as files (docs on a site). */
const RULE_DOCS_SCHEME = 'mlreview-rule';

class RuleDocsProvider implements vscode.TextDocumentContentProvider {
    private readonly pages = new Map<string, string>();

    uriFor(code: string, markdown: string): vscode.Uri {
        const uri = vscode.Uri.from({ scheme: RULE_DOCS_SCHEME, path: `/${code}.md` });
        this.pages.set(uri.toString(), markdown);
        return uri;
    }

    provideTextDocumentContent(uri: vscode.Uri): string {
        return this.pages.get(uri.toString()) ?? '';
    }
}

/** Where the project report is written for the Markdown preview (extension storage, not the project). */
const REPORT_FILE_NAME = 'Project Report.md';

export function registerCommands(
    server: ServerController,
    log: vscode.LogOutputChannel,
    storage: vscode.Uri,
): vscode.Disposable[] {
    const ruleDocs = new RuleDocsProvider();
    return [
        vscode.workspace.registerTextDocumentContentProvider(RULE_DOCS_SCHEME, ruleDocs),
        vscode.commands.registerCommand(COMMAND_IDS.restart, () => server.restart('restart command')),
        vscode.commands.registerCommand(COMMAND_IDS.showLogs, () => log.show()),
        vscode.commands.registerCommand(COMMAND_IDS.fixAll, (...args: unknown[]) => fixAll(server, log, args)),
        vscode.commands.registerCommand(COMMAND_IDS.showRule, (...args: unknown[]) => showRule(server, log, ruleDocs, args)),
        vscode.commands.registerCommand(COMMAND_IDS.showReport, () => showReport(server, log, storage)),
    ];
}

/**
 * The server's project scorecard in the Markdown preview. It is written to a file in the
 * extension's storage (nothing is added to the project), its links to findings made
 * relative to that file so that the preview follows them.
 */
async function showReport(server: ServerController, log: vscode.LogOutputChannel, storage: vscode.Uri): Promise<void> {
    const answer = await runServerCommand(server, log, SERVER_SHOW_REPORT, []);
    if (answer === null) {
        void vscode.window.showInformationMessage('mlreview: the project is still being reviewed; try again when the progress in the status bar ends.');
        return;
    }
    const markdown = ruleDocsMarkdown(answer);
    if (markdown === undefined) return; // the failure was already shown
    const report = vscode.Uri.joinPath(storage, REPORT_FILE_NAME);
    await vscode.workspace.fs.createDirectory(storage);
    await vscode.workspace.fs.writeFile(report, new TextEncoder().encode(reportWithRelativeLinks(markdown, report.toString())));
    try {
        await vscode.commands.executeCommand('markdown.showPreview', report);
    } catch {
        await vscode.window.showTextDocument(report, { preview: true });
    }
}

async function fixAll(server: ServerController, log: vscode.LogOutputChannel, args: unknown[]): Promise<void> {
    const document = vscode.window.activeTextEditor?.document;
    const forwarded = args.length > 0 ? args : document ? fixAllArguments(document.uri.toString()) : undefined;
    if (!forwarded) {
        void vscode.window.showInformationMessage('mlreview: open a Python file to fix.');
        return;
    }
    const outcome = fixAllOutcome(await runServerCommand(server, log, SERVER_FIX_ALL, forwarded));
    if (outcome.kind === 'nothingToFix') {
        vscode.window.setStatusBarMessage('mlreview: nothing to fix', 3000);
    } else if (outcome.kind === 'edit') {
        const applied = await vscode.workspace.applyEdit(await server.toWorkspaceEdit(outcome.edit as WorkspaceEdit));
        if (!applied) void vscode.window.showWarningMessage('mlreview: the fixes could not be applied (the file changed meanwhile?).');
    }
}

async function showRule(server: ServerController, log: vscode.LogOutputChannel, ruleDocs: RuleDocsProvider, args: unknown[]): Promise<void> {
    const code = typeof args[0] === 'string' ? normalizeRuleCode(args[0]) : await askRuleCode();
    if (!code) return;
    const markdown = ruleDocsMarkdown(await runServerCommand(server, log, SERVER_SHOW_RULE, [code]));
    if (markdown === undefined) {
        void vscode.window.showWarningMessage(`mlreview: no documentation for ${code}.`);
        return;
    }
    // The shipped page when there is one (its relative links work in the preview), else
    // a read-only document: neither leaves an unsaved buffer behind.
    const shipped = shippedRuleDocUri(markdown, code);
    const shippedUri = shipped ? vscode.Uri.parse(shipped) : undefined;
    const uri = shippedUri && (await exists(shippedUri)) ? shippedUri : ruleDocs.uriFor(code, markdown);
    try {
        await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
        // The built-in markdown extension can be disabled: show the source instead.
        await vscode.window.showTextDocument(uri, { preview: true });
    }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
    try {
        await vscode.workspace.fs.stat(uri);
        return true;
    } catch {
        return false;
    }
}

/** Prompts for a rule code, offering the code of the finding under the cursor. */
async function askRuleCode(): Promise<string | undefined> {
    const answer = await vscode.window.showInputBox({
        title: 'mlreview: Show Rule',
        prompt: 'Rule code',
        placeHolder: 'ML201',
        value: codeUnderCursor() ?? '',
        validateInput: (value) => (normalizeRuleCode(value) ? undefined : 'A rule code, such as ML201'),
    });
    return answer === undefined ? undefined : normalizeRuleCode(answer);
}

function codeUnderCursor(): string | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const position = editor.selection.active;
    const finding = vscode.languages
        .getDiagnostics(editor.document.uri)
        .find((diagnostic) => diagnostic.source === 'mlreview' && diagnostic.range.contains(position));
    const code = finding?.code;
    if (code === undefined) return undefined;
    return typeof code === 'object' ? String(code.value) : String(code);
}

/** Runs a server command; failures become one error notification and an undefined result. */
async function runServerCommand(
    server: ServerController,
    log: vscode.LogOutputChannel,
    command: string,
    args: unknown[],
): Promise<unknown> {
    try {
        return await server.executeServerCommand(command, args);
    } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        log.error(`${command} failed: ${reason}`);
        const restart = error instanceof ServerNotRunningError ? ['Restart Server'] : [];
        const choice = await vscode.window.showErrorMessage(`mlreview: ${command} failed: ${reason}`, ...restart, 'Open Logs');
        if (choice === 'Restart Server') await server.restart('restart after a failed command');
        else if (choice === 'Open Logs') log.show();
        return undefined;
    }
}
