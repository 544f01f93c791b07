// Reads `mlreview.*` from VS Code's configuration into validated settings.

import * as os from 'node:os';
import * as vscode from 'vscode';
import { substituteVariables } from './core/launch';
import { SETTING_KEYS, validateSettings, type ExtensionSettings, type ValidatedSettings } from './core/settings';

export const SECTION = 'mlreview';

export function readSettings(scope: vscode.ConfigurationScope | undefined): ValidatedSettings {
    const config = vscode.workspace.getConfiguration(SECTION, scope);
    const raw = Object.fromEntries(SETTING_KEYS.map((key) => [key, config.get<unknown>(key)]));
    return validateSettings(raw);
}

/** The settings that start the server, with `${workspaceFolder}` and friends expanded. */
export function expandLaunchSettings(
    settings: ExtensionSettings,
    folder: vscode.WorkspaceFolder | undefined,
): Pick<ExtensionSettings, 'interpreter' | 'path' | 'args'> {
    const values = { workspaceFolder: folder?.uri.fsPath, userHome: os.homedir(), env: process.env };
    const expand = (list: string[]) => list.map((value) => substituteVariables(value, values));
    return { interpreter: expand(settings.interpreter), path: expand(settings.path), args: expand(settings.args) };
}

/** The folder whose settings the single server instance starts with. */
export function primaryWorkspaceFolder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.[0];
}
