#!/usr/bin/env node
// @ts-check
// Checks that a language server command answers `initialize` and shuts down cleanly.
// Usage: node scripts/check-initialize.mjs [--open-sample] [--timeout MS] [--cwd DIR] [--env NAME=VALUE]... -- COMMAND [ARG...]
// e.g.   node scripts/check-initialize.mjs --env PYTHONPATH=bundled/libs -- python3 -m mlreview server
import { runInitializeCheck } from './lib/initializeCheck.mjs';

/** @param {string[]} argv */
function parseArguments(argv) {
    const separator = argv.indexOf('--');
    if (separator < 0 || separator === argv.length - 1) usage('a server command is required after --');
    /** @type {{ command: string[], env: NodeJS.ProcessEnv, openSample: boolean, timeoutMs: number, cwd: string | undefined }} */
    const options = { command: argv.slice(separator + 1), env: { ...process.env }, openSample: false, timeoutMs: 30_000, cwd: undefined };
    const flags = argv.slice(0, separator);
    for (let i = 0; i < flags.length; i++) {
        const flag = flags[i];
        if (flag === '--open-sample') options.openSample = true;
        else if (flag === '--timeout') options.timeoutMs = Number(flags[++i]);
        else if (flag === '--cwd') options.cwd = flags[++i];
        else if (flag === '--env') {
            const [name, ...value] = (flags[++i] ?? '').split('=');
            if (!name || value.length === 0) usage('--env takes NAME=VALUE');
            options.env[name] = value.join('=');
        } else usage(`unknown option ${flag}`);
    }
    if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) usage('--timeout takes a positive number of milliseconds');
    return options;
}

/** @param {string} problem @returns {never} */
function usage(problem) {
    console.error(`check-initialize: ${problem}`);
    console.error('usage: node scripts/check-initialize.mjs [--open-sample] [--timeout MS] [--cwd DIR] [--env NAME=VALUE]... -- COMMAND [ARG...]');
    process.exit(2);
}

const options = parseArguments(process.argv.slice(2));
console.log(`check-initialize: ${options.command.join(' ')}`);
try {
    await runInitializeCheck(options);
    console.log('check-initialize: OK');
} catch (error) {
    console.error(`check-initialize: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
}
