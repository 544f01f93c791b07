// Starts, restarts and stops the language client, and keeps the server's settings in sync.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
    DidChangeConfigurationNotification,
    ExecuteCommandRequest,
    RevealOutputChannelOn,
    State,
    type DocumentSelector,
    type LanguageClient,
    type LanguageClientOptions,
    type Middleware,
    type ServerOptions,
    type WorkspaceEdit,
} from 'vscode-languageclient/node';
import { expandLaunchSettings, primaryWorkspaceFolder, readSettings, SECTION } from './configuration';
import { describeProblem, planServerLaunch, type LaunchProblem, type ServerLaunch } from './core/launch';
import { probeInterpreter } from './core/probe';
import type { ServerState } from './core/serverState';
import { LAUNCH_SETTING_KEYS, initializationOptions, toServerSettings, type ExtensionSettings } from './core/settings';
import { MlreviewLanguageClient } from './languageClient';
import type { PythonEnvironment } from './pythonEnvironment';

export const DOCUMENT_SELECTOR: DocumentSelector = [
    { scheme: 'file', language: 'python' },
    { scheme: 'untitled', language: 'python' },
    { notebook: { notebookType: 'jupyter-notebook' }, language: 'python' },
    { notebook: { notebookType: 'interactive' }, language: 'python' },
];

export class ServerNotRunningError extends Error {
    constructor() {
        super('The mlreview server is not running.');
    }
}

export class ServerController implements vscode.Disposable {
    private client: LanguageClient | undefined;
    /** Set while we stop the client ourselves, so that its Stopped state is not reported as a failure. */
    private stopping = false;
    /** Restarts run one after another: settings events can arrive in bursts. */
    private queue: Promise<void> = Promise.resolve();

    constructor(
        private readonly bundledLibsDir: string,
        private readonly log: vscode.LogOutputChannel,
        /** `mlreview.trace.server` shows there whatever the log level (traceChannel.ts). */
        private readonly trace: vscode.LogOutputChannel,
        private readonly python: PythonEnvironment,
        private readonly onState: (state: ServerState) => void,
    ) {}

    restart(reason: string): Promise<void> {
        this.queue = this.queue
            .then(() => this.startFresh(reason))
            .catch((error: unknown) => this.log.error(`Restart failed: ${String(error)}`));
        return this.queue;
    }

    stop(): Promise<void> {
        this.queue = this.queue.then(() => this.stopClient());
        return this.queue;
    }

    onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
        if (!event.affectsConfiguration(SECTION)) return;
        if (LAUNCH_SETTING_KEYS.some((key) => event.affectsConfiguration(`${SECTION}.${key}`))) {
            void this.restart('launch settings changed');
        } else {
            this.pushSettings();
        }
    }

    onInterpreterChanged(): void {
        // An explicit mlreview.interpreter wins over the Python extension's choice.
        if (readSettings(primaryWorkspaceFolder()).settings.interpreter.length === 0) {
            void this.restart('the Python interpreter changed');
        }
    }

    async executeServerCommand(command: string, args: unknown[]): Promise<unknown> {
        const client = this.client;
        if (!client?.isRunning()) throw new ServerNotRunningError();
        return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
    }

    async toWorkspaceEdit(edit: WorkspaceEdit): Promise<vscode.WorkspaceEdit> {
        if (!this.client) throw new ServerNotRunningError();
        return this.client.protocol2CodeConverter.asWorkspaceEdit(edit);
    }

    dispose(): void {
        void this.stop();
    }

    private async startFresh(reason: string): Promise<void> {
        await this.stopClient();
        this.log.info(`Starting the server (${reason}).`);
        this.onState({ kind: 'starting' });
        const folder = primaryWorkspaceFolder();
        const { settings, problems } = readSettings(folder);
        for (const problem of problems) this.log.warn(problem);

        const { plan, userInterpreter } = await this.planLaunch(settings, folder);
        for (const note of plan.notes) this.log.warn(note);
        if (!plan.ok) {
            const message = describeProblem(plan.problem);
            this.log.error(message);
            this.onState({ kind: 'failed', message });
            void this.offerFix(plan.problem, message);
            return;
        }
        await this.startClient(plan.launch, settings, folder, userInterpreter);
    }

    private async planLaunch(settings: ExtensionSettings, folder: vscode.WorkspaceFolder | undefined) {
        const launchSettings = expandLaunchSettings(settings, folder);
        const fromPythonExtension =
            launchSettings.interpreter.length === 0 ? await this.python.activeInterpreter(folder?.uri) : undefined;
        const userInterpreter = launchSettings.interpreter.length > 0 ? launchSettings.interpreter
            : fromPythonExtension ? [fromPythonExtension] : undefined;
        const plan = await planServerLaunch({
            ...launchSettings,
            importStrategy: settings.importStrategy,
            pythonExtensionInterpreter: fromPythonExtension,
            systemPython: process.platform === 'win32' ? 'python' : 'python3',
            bundledLibsDir: this.bundledLibsDir,
            bundledLibsPresent: fs.existsSync(path.join(this.bundledLibsDir, 'mlreview')),
            inheritedPythonPath: process.env.PYTHONPATH,
            exists: (file) => fs.existsSync(file),
            probe: probeInterpreter,
        });
        return { plan, userInterpreter };
    }

    private async startClient(
        launch: ServerLaunch,
        settings: ExtensionSettings,
        folder: vscode.WorkspaceFolder | undefined,
        userInterpreter: readonly string[] | undefined,
    ) {
        this.log.info(`Server command: ${[launch.command, ...launch.args].join(' ')} (${launch.description})`);
        const client = this.createClient(launch, settings, folder, userInterpreter);
        client.onDidChangeState(({ newState }) => this.reportClientState(client, newState, launch));
        this.client = client;
        try {
            await client.start();
        } catch (error) {
            const message = `The mlreview server did not start: ${error instanceof Error ? error.message : String(error)}`;
            // vscode-languageclient has already shown this failure with a "Go to output" button.
            this.log.error(message);
            this.onState({ kind: 'failed', message });
        }
    }

    private createClient(
        launch: ServerLaunch,
        settings: ExtensionSettings,
        folder: vscode.WorkspaceFolder | undefined,
        userInterpreter: readonly string[] | undefined,
    ) {
        const serverOptions: ServerOptions = {
            command: launch.command,
            args: launch.args,
            options: { cwd: folder?.uri.fsPath ?? os.homedir(), env: { ...process.env, ...launch.env } },
        };
        const clientOptions: LanguageClientOptions = {
            documentSelector: DOCUMENT_SELECTOR,
            outputChannel: this.log,
            traceOutputChannel: this.trace,
            revealOutputChannelOn: RevealOutputChannelOn.Never,
            initializationOptions: initializationOptions(settings, userInterpreter),
            middleware: {
                workspace: { configuration: answerConfigurationRequest },
                // Code actions and hovers are asked for as the cursor moves, restarts included.
                provideCodeActions: (document, range, context, token, next) =>
                    this.unlessStopping(() => next(document, range, context, token), []),
                provideHover: (document, position, token, next) => this.unlessStopping(() => next(document, position, token), undefined),
            },
        };
        return new MlreviewLanguageClient(SECTION, 'mlreview', serverOptions, clientOptions);
    }

    /**
     * A request that meets a client being stopped (a settings-triggered restart) gets an
     * empty answer: vscode-languageclient would fail it ("Starting server failed") and
     * VS Code would show that as an error, though the new server is on its way.
     */
    private async unlessStopping<T>(request: () => vscode.ProviderResult<T>, empty: T): Promise<T | null | undefined> {
        if (this.stopping) return empty;
        try {
            return await request();
        } catch (error) {
            if (this.stopping || !this.client?.isRunning()) return empty;
            throw error;
        }
    }

    private reportClientState(client: LanguageClient, state: State, launch: ServerLaunch): void {
        if (state === State.Running) {
            const version = client.initializeResult?.serverInfo?.version;
            this.log.info(`Server running${version ? `, version ${version}` : ''}.`);
            this.onState({ kind: 'running', version, launch: launch.description });
        } else if (state === State.Starting) {
            this.onState({ kind: 'starting' });
        } else if (!this.stopping) {
            this.onState({ kind: 'failed', message: 'The server stopped. See the logs, then restart it.' });
        }
    }

    private pushSettings(): void {
        if (!this.client?.isRunning()) return;
        const { settings, problems } = readSettings(primaryWorkspaceFolder());
        for (const problem of problems) this.log.warn(problem);
        const params = { settings: { [SECTION]: toServerSettings(settings) } };
        this.client.sendNotification(DidChangeConfigurationNotification.type, params).catch((error: unknown) => {
            this.log.error(`Sending the settings failed: ${String(error)}`);
        });
    }

    private async stopClient(): Promise<void> {
        const client = this.client;
        this.client = undefined;
        if (!client) return;
        this.stopping = true;
        try {
            if (client.isRunning()) await client.stop(2000);
            await client.dispose(2000);
        } catch (error) {
            this.log.warn(`Stopping the server: ${String(error)}`);
        } finally {
            this.stopping = false;
            this.onState({ kind: 'stopped' });
        }
    }

    private async offerFix(problem: LaunchProblem, message: string): Promise<void> {
        const selectInterpreter = 'Select Interpreter';
        const openSettings = 'Open Settings';
        const useBundled = 'Use Bundled Server';
        const openLogs = 'Open Logs';
        const actions =
            problem.kind === 'mlreviewMissing'
                ? [useBundled, openLogs]
                : [...(this.python.available ? [selectInterpreter] : []), openSettings, openLogs];
        const choice = await vscode.window.showErrorMessage(message, ...actions);
        if (choice === selectInterpreter) await vscode.commands.executeCommand('python.setInterpreter');
        else if (choice === openSettings) await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.interpreter`);
        else if (choice === useBundled) await vscode.workspace.getConfiguration(SECTION).update('importStrategy', 'useBundled', vscode.ConfigurationTarget.Global);
        else if (choice === openLogs) this.log.show();
    }
}

/**
 * Answers the server's workspace/configuration requests for `mlreview` with the same
 * object as initializationOptions, instead of VS Code's raw camelCase section.
 */
const answerConfigurationRequest: NonNullable<NonNullable<Middleware['workspace']>['configuration']> = async (params, token, next) => {
    const defaults = await next(params, token);
    if (!Array.isArray(defaults)) return defaults;
    return params.items.map((item, index) => {
        if (item.section !== SECTION) return defaults[index] as unknown;
        const scope = item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined;
        return toServerSettings(readSettings(scope).settings);
    });
};
