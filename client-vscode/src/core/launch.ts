// How the server process is started: which executable or interpreter, with which
// arguments and environment. Pure decisions; the interpreter probe is injected so the
// whole order can be tested without VS Code or a particular Python.

import * as path from 'node:path';
import type { ImportStrategy } from './settings';

export const MIN_PYTHON: readonly [number, number] = [3, 10];

/** Where the interpreter came from, most specific first. */
export type InterpreterSource = 'setting' | 'pythonExtension' | 'systemPath';

export interface InterpreterChoice {
    /** The interpreter command and any leading arguments, e.g. ["conda", "run", "-n", "ml", "python"]. */
    command: string[];
    source: InterpreterSource;
}

/**
 * Order of precedence, as in ruff-vscode and the python-tools template: the
 * `mlreview.interpreter` setting, then the Python extension's active environment, then
 * whatever `python3` the extension host finds on PATH (so the extension still works
 * without the Python extension installed).
 */
export function chooseInterpreter(
    configured: readonly string[],
    fromPythonExtension: string | undefined,
    systemPython: string,
): InterpreterChoice {
    const command = configured.filter((part) => part.trim() !== '');
    if (command.length > 0) return { command, source: 'setting' };
    if (fromPythonExtension) return { command: [fromPythonExtension], source: 'pythonExtension' };
    return { command: [systemPython], source: 'systemPath' };
}

/** The first configured `mlreview` executable that exists; `mlreview.path` is a list, as ruff's. */
export function chooseExecutable(candidates: readonly string[], exists: (file: string) => boolean): string | undefined {
    return candidates.find((candidate) => candidate.trim() !== '' && exists(candidate));
}

export interface VariableValues {
    workspaceFolder: string | undefined;
    userHome: string;
    env: Readonly<Record<string, string | undefined>>;
}

/** Expands `${workspaceFolder}`, `${userHome}` and `${env:NAME}` in a setting value. */
export function substituteVariables(value: string, values: VariableValues): string {
    return value.replace(/\$\{(workspaceFolder|userHome|env:([^}]+))\}/g, (match, name: string, envName?: string) => {
        if (envName !== undefined) return values.env[envName] ?? '';
        if (name === 'userHome') return values.userHome;
        return values.workspaceFolder ?? match;
    });
}

export interface ServerLaunch {
    command: string;
    args: string[];
    /** Variables to add to the extension host's environment. */
    env: Record<string, string>;
    /** One line for the log and the status item, e.g. "bundled server, Python 3.11.7". */
    description: string;
}

/** `mlreview server` straight from a given executable: its own environment decides everything. */
export function executableLaunch(executable: string, extraArgs: readonly string[]): ServerLaunch {
    return {
        command: executable,
        args: ['server', ...extraArgs],
        env: {},
        description: `executable ${executable}`,
    };
}

/** `python -m mlreview server`, with the bundled libraries first on sys.path when they are used. */
export function pythonLaunch(options: {
    interpreter: readonly string[];
    bundledLibsDir: string | undefined;
    extraArgs: readonly string[];
    inheritedPythonPath: string | undefined;
}): ServerLaunch {
    const [command, ...leadingArgs] = options.interpreter;
    if (command === undefined) throw new Error('an interpreter command is required');
    return {
        command,
        args: [...leadingArgs, '-m', 'mlreview', 'server', ...options.extraArgs],
        env: serverEnvironment(options.bundledLibsDir, options.inheritedPythonPath),
        description: options.bundledLibsDir ? 'bundled server' : 'server from the environment',
    };
}

function serverEnvironment(bundledLibsDir: string | undefined, inheritedPythonPath: string | undefined): Record<string, string> {
    // Without this, `-m` puts the working directory (the user's workspace) first on
    // sys.path, and a folder there named like one of our dependencies would shadow it.
    const env: Record<string, string> = { PYTHONSAFEPATH: '1' };
    if (bundledLibsDir) {
        env.PYTHONPATH = inheritedPythonPath ? [bundledLibsDir, inheritedPythonPath].join(path.delimiter) : bundledLibsDir;
    }
    return env;
}

/** What a short run of the interpreter reported about itself. */
export interface ProbeResult {
    version: [number, number, number];
    executable: string;
    /** Whether `import mlreview` would succeed in the server's environment. */
    hasMlreview: boolean;
}

export type Probe = (interpreter: readonly string[], env: Record<string, string>) => Promise<ProbeResult>;

export type LaunchProblem =
    | { kind: 'noPython'; interpreter: InterpreterChoice; detail: string }
    | { kind: 'pythonTooOld'; interpreter: InterpreterChoice; probe: ProbeResult }
    | { kind: 'mlreviewMissing'; interpreter: InterpreterChoice; probe: ProbeResult };

export type LaunchPlan =
    | { ok: true; launch: ServerLaunch; notes: string[] }
    | { ok: false; problem: LaunchProblem; notes: string[] };

export interface LaunchRequest {
    interpreter: readonly string[];
    path: readonly string[];
    args: readonly string[];
    importStrategy: ImportStrategy;
    pythonExtensionInterpreter: string | undefined;
    systemPython: string;
    bundledLibsDir: string;
    bundledLibsPresent: boolean;
    inheritedPythonPath: string | undefined;
    exists: (file: string) => boolean;
    probe: Probe;
}

/**
 * Decides how to start the server, or why it cannot be started. Checking the
 * interpreter first turns "the server crashed 5 times" into one actionable message.
 */
export async function planServerLaunch(request: LaunchRequest): Promise<LaunchPlan> {
    const notes: string[] = [];
    const executable = chooseExecutable(request.path, request.exists);
    if (executable) return { ok: true, launch: executableLaunch(executable, request.args), notes };
    if (request.path.length > 0) notes.push(`None of mlreview.path exists (${request.path.join(', ')}); using Python instead.`);

    const interpreter = chooseInterpreter(request.interpreter, request.pythonExtensionInterpreter, request.systemPython);
    let bundledLibsDir: string | undefined;
    if (request.importStrategy === 'useBundled') {
        if (request.bundledLibsPresent) bundledLibsDir = request.bundledLibsDir;
        else notes.push(`No bundled server in ${request.bundledLibsDir}; using mlreview from the environment.`);
    }
    const launch = pythonLaunch({
        interpreter: interpreter.command,
        bundledLibsDir,
        extraArgs: request.args,
        inheritedPythonPath: request.inheritedPythonPath,
    });

    let probe: ProbeResult;
    try {
        probe = await request.probe(interpreter.command, launch.env);
    } catch (error) {
        return { ok: false, problem: { kind: 'noPython', interpreter, detail: errorMessage(error) }, notes };
    }
    if (!isSupportedPython(probe.version)) return { ok: false, problem: { kind: 'pythonTooOld', interpreter, probe }, notes };
    if (!probe.hasMlreview) return { ok: false, problem: { kind: 'mlreviewMissing', interpreter, probe }, notes };
    launch.description += `, Python ${probe.version.join('.')} (${probe.executable})`;
    return { ok: true, launch, notes };
}

export function isSupportedPython(version: readonly number[]): boolean {
    const [major = 0, minor = 0] = version;
    return major > MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor >= MIN_PYTHON[1]);
}

/** The sentence shown to the user for a launch problem. */
export function describeProblem(problem: LaunchProblem): string {
    const shown = problem.interpreter.command.join(' ');
    const minimum = MIN_PYTHON.join('.');
    switch (problem.kind) {
        case 'noPython':
            return `mlreview could not run Python ("${shown}"): ${problem.detail}. Select a Python ${minimum}+ interpreter.`;
        case 'pythonTooOld':
            return `mlreview needs Python ${minimum} or newer, but "${shown}" is Python ${problem.probe.version.join('.')}. Select another interpreter.`;
        case 'mlreviewMissing':
            return `The mlreview package is not installed for "${problem.probe.executable}". Install it there (pip install mlreview) or set mlreview.importStrategy to "useBundled".`;
    }
}

function errorMessage(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
