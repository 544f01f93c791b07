// The channel for `mlreview.trace.server`. vscode-languageclient traces only while its
// trace channel's log level is Trace, so a log channel would show nothing until the user
// also changed the channel's level: this plain channel always accepts traces, and the
// setting alone decides (as ruff-vscode's separate trace channel does).

import * as vscode from 'vscode';

export function createTraceChannel(name: string): vscode.LogOutputChannel {
    const channel = vscode.window.createOutputChannel(name);
    const write = (message: string | Error) => channel.appendLine(message instanceof Error ? (message.stack ?? message.message) : message);
    const levelChanges = new vscode.EventEmitter<vscode.LogLevel>();
    return {
        name: channel.name,
        logLevel: vscode.LogLevel.Trace,
        onDidChangeLogLevel: levelChanges.event,
        trace: write,
        debug: write,
        info: write,
        warn: write,
        error: write,
        append: (value) => channel.append(value),
        appendLine: (value) => channel.appendLine(value),
        replace: (value) => channel.replace(value),
        clear: () => channel.clear(),
        show: (columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean) =>
            typeof columnOrPreserveFocus === 'boolean' || columnOrPreserveFocus === undefined
                ? channel.show(columnOrPreserveFocus)
                : channel.show(columnOrPreserveFocus, preserveFocus),
        hide: () => channel.hide(),
        dispose: () => {
            levelChanges.dispose();
            channel.dispose();
        },
    };
}
