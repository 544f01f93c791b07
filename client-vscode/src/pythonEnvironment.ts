// The interpreter the user picked in the Python extension, when that extension is installed.

import { PVSC_EXTENSION_ID, PythonExtension } from '@vscode/python-extension';
import * as vscode from 'vscode';

export class PythonEnvironment implements vscode.Disposable {
    private readonly disposables: vscode.Disposable[] = [];

    private constructor(private readonly api: PythonExtension | undefined) {}

    /** Never fails: without the Python extension the server falls back to other interpreters. */
    static async load(log: vscode.LogOutputChannel): Promise<PythonEnvironment> {
        if (!vscode.extensions.getExtension(PVSC_EXTENSION_ID)) {
            log.info(`The Python extension (${PVSC_EXTENSION_ID}) is not installed; using mlreview.interpreter or python3 on PATH.`);
            return new PythonEnvironment(undefined);
        }
        try {
            return new PythonEnvironment(await PythonExtension.api());
        } catch (error) {
            log.warn(`The Python extension did not activate: ${String(error)}`);
            return new PythonEnvironment(undefined);
        }
    }

    get available(): boolean {
        return this.api !== undefined;
    }

    /** Path of the active environment's python executable for a folder, if the extension knows one. */
    async activeInterpreter(resource: vscode.Uri | undefined): Promise<string | undefined> {
        if (!this.api) return undefined;
        const environmentPath = this.api.environments.getActiveEnvironmentPath(resource);
        const resolved = await this.api.environments.resolveEnvironment(environmentPath);
        return resolved?.executable.uri?.fsPath;
    }

    onDidChangeInterpreter(listener: () => void): void {
        if (!this.api) return;
        this.disposables.push(this.api.environments.onDidChangeActiveEnvironmentPath(() => listener()));
    }

    dispose(): void {
        for (const disposable of this.disposables) disposable.dispose();
    }
}
