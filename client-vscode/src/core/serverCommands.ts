// The workspace/executeCommand contract with the server, and checks on its answers.

import * as path from 'node:path';

/** Server commands that the extension registers itself as VS Code commands of the same name. */
export const SERVER_FIX_ALL = 'mlreview.fixAll';
export const SERVER_SHOW_RULE = 'mlreview.showRule';
export const SERVER_SHOW_REPORT = 'mlreview.showReport';
export const CLIENT_OWNED_COMMANDS: ReadonlySet<string> = new Set([SERVER_FIX_ALL, SERVER_SHOW_RULE, SERVER_SHOW_REPORT]);

/**
 * vscode-languageclient registers a VS Code command for every command the server
 * advertises, and registering an existing id throws, which would fail the client's
 * start. The extension keeps the ones it wraps (palette entries with prompts) and
 * forwards to the server itself.
 */
export function commandsForLanguageClient(advertised: readonly string[]): string[] {
    return advertised.filter((command) => !CLIENT_OWNED_COMMANDS.has(command));
}

/** Arguments of `mlreview.fixAll` when it is run from the palette: the document's URI. */
export function fixAllArguments(documentUri: string): unknown[] {
    return [documentUri];
}

export interface WorkspaceEditLike {
    changes?: Record<string, unknown[]>;
    documentChanges?: unknown[];
}

export type FixAllOutcome = { kind: 'edit'; edit: WorkspaceEditLike } | { kind: 'appliedByServer' } | { kind: 'nothingToFix' };

/**
 * The server may answer `mlreview.fixAll` with the edit for the client to apply, or
 * apply it itself through workspace/applyEdit and answer `{"applied": bool}` (or null).
 */
export function fixAllOutcome(answer: unknown): FixAllOutcome {
    if (isWorkspaceEdit(answer)) return countEdits(answer) > 0 ? { kind: 'edit', edit: answer } : { kind: 'nothingToFix' };
    if (typeof answer === 'object' && answer !== null && (answer as { applied?: unknown }).applied === false) {
        return { kind: 'nothingToFix' };
    }
    return { kind: 'appliedByServer' };
}

function isWorkspaceEdit(value: unknown): value is WorkspaceEditLike {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    const hasChanges = typeof record.changes === 'object' && record.changes !== null;
    return hasChanges || Array.isArray(record.documentChanges);
}

function countEdits(edit: WorkspaceEditLike): number {
    const fromChanges = Object.values(edit.changes ?? {}).reduce((sum, edits) => sum + edits.length, 0);
    return fromChanges + (edit.documentChanges?.length ?? 0);
}

/** `mlreview.showRule` and `mlreview.showReport` answer markdown: a string, or MarkupContent. */
export function ruleDocsMarkdown(value: unknown): string | undefined {
    if (typeof value === 'string') return value;
    if (typeof value === 'object' && value !== null && typeof (value as { value?: unknown }).value === 'string') {
        return (value as { value: string }).value;
    }
    return undefined;
}

/** Accepts what people type for a rule code ("ml201 ", "ML201"); undefined when it is not one. */
export function normalizeRuleCode(input: string): string | undefined {
    const code = input.trim().toUpperCase();
    return /^[A-Z]+[0-9]+$/.test(code) ? code : undefined;
}

/**
 * The shipped page of a rule (`file:///.../docs/rules/ML201.md`), found from the
 * `file:` principle link of the server's markdown; undefined when the docs live on a
 * site (`mlreview.docsBaseUrl`). The Markdown preview refuses `file:` links in a
 * generated document but follows the shipped pages' relative links.
 */
export function shippedRuleDocUri(markdown: string, code: string): string | undefined {
    const principles = /\]\((file:\/\/[^)#\s]*)\/principles\.md(?:#[^)]*)?\)/.exec(markdown);
    return principles ? `${principles[1]}/rules/${code}.md` : undefined;
}

/**
 * The project report's `file:` links made relative to where the report is written: the
 * Markdown preview drops `file:` links (markdown-it refuses the scheme) but follows
 * relative ones, `#L12` fragments included.
 */
export function reportWithRelativeLinks(markdown: string, reportUri: string): string {
    const folder = path.posix.dirname(decodeURIComponent(new URL(reportUri).pathname));
    return markdown.replace(/\]\((file:\/\/[^)\s]+)\)/g, (whole, target: string) => {
        let url: URL;
        try {
            url = new URL(target);
        } catch {
            return whole;
        }
        const relative = path.posix.relative(folder, decodeURIComponent(url.pathname));
        return `](${relative.split('/').map(encodeURIComponent).join('/')}${url.hash})`;
    });
}
