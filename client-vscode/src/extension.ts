// Entry point: wires the log, the status item, the commands and the server together.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { ServerStatusItem } from './languageStatus';
import { PythonEnvironment } from './pythonEnvironment';
import { ServerController } from './server';
import { createTraceChannel } from './traceChannel';

let server: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
    const log = vscode.window.createOutputChannel('mlreview', { log: true });
    const trace = createTraceChannel('mlreview Trace');
    const status = new ServerStatusItem();
    context.subscriptions.push(log, trace, status);

    const python = await PythonEnvironment.load(log);
    const bundledLibsDir = path.join(context.extensionPath, 'bundled', 'libs');
    const controller = new ServerController(bundledLibsDir, log, trace, python, (state) => status.show(state));
    server = controller;
    python.onDidChangeInterpreter(() => controller.onInterpreterChanged());
    context.subscriptions.push(
        python,
        controller,
        ...registerCommands(controller, log, context.storageUri ?? context.globalStorageUri),
        vscode.workspace.onDidChangeConfiguration((event) => controller.onConfigurationChanged(event)),
    );
    // Not awaited: probing the interpreter must not hold up the extension host.
    void controller.restart('activation');
}

export async function deactivate(): Promise<void> {
    await server?.stop();
    server = undefined;
}
