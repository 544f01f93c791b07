// The `{}` item in the status bar of Python files: server state, version, "Open logs".

import * as vscode from 'vscode';
import { COMMAND_IDS } from './core/commandIds';
import { describeServerState, type ServerState } from './core/serverState';

const SEVERITY = {
    information: vscode.LanguageStatusSeverity.Information,
    warning: vscode.LanguageStatusSeverity.Warning,
    error: vscode.LanguageStatusSeverity.Error,
} as const;

export class ServerStatusItem implements vscode.Disposable {
    private readonly item = vscode.languages.createLanguageStatusItem('mlreview.server', { language: 'python' });

    constructor() {
        this.item.name = 'mlreview';
        this.item.command = { title: 'Open logs', command: COMMAND_IDS.showLogs };
        this.show({ kind: 'starting' });
    }

    show(state: ServerState): void {
        const view = describeServerState(state);
        this.item.text = view.text;
        this.item.detail = view.detail;
        this.item.severity = SEVERITY[view.level];
        this.item.busy = view.busy;
    }

    dispose(): void {
        this.item.dispose();
    }
}
