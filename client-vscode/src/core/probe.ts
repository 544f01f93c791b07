// Runs the chosen interpreter once to learn its version and whether it can import
// mlreview, before the language client starts it as a server.

import { execFile, type ExecFileException } from 'node:child_process';
import type { ProbeResult } from './launch';

// Kept compatible with old Pythons (even 2.7), so that a too-old interpreter is
// reported as too old rather than as broken.
const PROBE_SCRIPT = [
    'import json, sys',
    'try:',
    '    from importlib.util import find_spec',
    '    found = find_spec("mlreview") is not None',
    'except Exception:',
    '    found = False',
    'print(json.dumps({"version": list(sys.version_info[:3]), "executable": sys.executable, "mlreview": found}))',
].join('\n');

const PROBE_TIMEOUT_MS = 15_000;

export function probeInterpreter(interpreter: readonly string[], env: Record<string, string>): Promise<ProbeResult> {
    const [command, ...leadingArgs] = interpreter;
    if (command === undefined) return Promise.reject(new Error('no interpreter command'));
    return new Promise((resolve, reject) => {
        execFile(
            command,
            [...leadingArgs, '-c', PROBE_SCRIPT],
            { env: { ...process.env, ...env }, timeout: PROBE_TIMEOUT_MS, windowsHide: true },
            (error, stdout, stderr) => {
                if (error) {
                    reject(new Error(describeExecError(error, stderr)));
                    return;
                }
                try {
                    resolve(parseProbeOutput(stdout));
                } catch (parseError) {
                    reject(parseError instanceof Error ? parseError : new Error(String(parseError)));
                }
            },
        );
    });
}

/** Reads the probe's JSON line; wrappers such as `conda run` may print lines before it. */
export function parseProbeOutput(stdout: string): ProbeResult {
    const lines = stdout.trim().split(/\r?\n/);
    const last = lines[lines.length - 1] ?? '';
    let data: unknown;
    try {
        data = JSON.parse(last);
    } catch {
        throw new Error(`unexpected output from the interpreter: ${JSON.stringify(stdout.slice(0, 200))}`);
    }
    if (!isProbeJson(data)) throw new Error(`unexpected output from the interpreter: ${last.slice(0, 200)}`);
    const [major, minor, micro] = data.version;
    return { version: [major, minor, micro], executable: data.executable, hasMlreview: data.mlreview };
}

interface ProbeJson {
    version: [number, number, number];
    executable: string;
    mlreview: boolean;
}

function isProbeJson(data: unknown): data is ProbeJson {
    if (typeof data !== 'object' || data === null) return false;
    const record = data as Record<string, unknown>;
    return (
        Array.isArray(record.version) &&
        record.version.length === 3 &&
        record.version.every((part) => typeof part === 'number') &&
        typeof record.executable === 'string' &&
        typeof record.mlreview === 'boolean'
    );
}

function describeExecError(error: ExecFileException, stderr: string): string {
    if (error.code === 'ENOENT') return 'the command was not found';
    if (error.killed) return `no answer within ${PROBE_TIMEOUT_MS / 1000} s`;
    const lastLine = stderr.trim().split(/\r?\n/).pop();
    return lastLine ? lastLine : error.message;
}
