#!/usr/bin/env node
// @ts-check
// Checks a built .vsix: it holds the bundled extension and the bundled server (and no
// sources), and the server it holds, run as the extension runs it, answers an LSP
// `initialize`, reviews a file and shuts down cleanly.
// Usage: node scripts/check-vsix.mjs mlreview-X.Y.Z.vsix [--python python3] [--skip-server]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runInitializeCheck } from './lib/initializeCheck.mjs';
import { listEntries, readEntry } from './lib/zip.mjs';

const LIBS = 'extension/bundled/libs/';

/** Entries that must be there, as patterns over the full entry name. */
const REQUIRED = [
    /^extension\/package\.json$/,
    /^extension\/dist\/extension\.js$/,
    /^extension\/readme\.md$/i,
    /^extension\/LICENSE(\.txt|\.md)?$/,
    /^extension\/icon\.png$/,
    /^extension\/bundled\/libs\/mlreview\/__init__\.py$/,
    /^extension\/bundled\/libs\/mlreview\/__main__\.py$/,
    /^extension\/bundled\/libs\/pygls\//,
    /^extension\/bundled\/libs\/lsprotocol\//,
];

/** Entries that must not be there: sources, dependencies of the build, stale bytecode. */
const FORBIDDEN = [
    /^extension\/(src|test|out|scripts|node_modules)\//,
    /^extension\/[^/]*\.(ts|mjs)$/,
    /^extension\/(tsconfig\.json|eslint\.config\.mjs|package-lock\.json)$/,
    /\/__pycache__\//,
    /\.pyc$/,
    /^extension\/bundled\/libs\/bin\//,
    // vsce's .env scan is switched off for speed (package.json): this replaces it.
    /(^|\/)\.env(\.[^/]*)?$/,
];

/** @param {string[]} argv */
function parseArguments(argv) {
    const options = { vsix: '', python: 'python3', skipServer: false };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i] ?? '';
        if (arg === '--python') options.python = argv[++i] ?? '';
        else if (arg === '--skip-server') options.skipServer = true;
        else if (!options.vsix && !arg.startsWith('--')) options.vsix = arg;
        else fail(`unexpected argument ${arg}`, 2);
    }
    if (!options.vsix || !options.python) fail('usage: node scripts/check-vsix.mjs VSIX [--python PYTHON] [--skip-server]', 2);
    return options;
}

/** @param {string} message @param {number} [status] @returns {never} */
function fail(message, status = 1) {
    console.error(`check-vsix: FAILED: ${message}`);
    process.exit(status);
}

/** @param {string[]} names */
function checkContents(names) {
    const problems = [
        ...REQUIRED.filter((pattern) => !names.some((name) => pattern.test(name))).map((pattern) => `missing ${pattern.source}`),
        ...names.filter((name) => FORBIDDEN.some((pattern) => pattern.test(name))).map((name) => `should not be packaged: ${name}`),
    ];
    if (problems.length > 0) fail(`\n  ${problems.slice(0, 30).join('\n  ')}`);
}

/** @param {Buffer} archive @param {import('./lib/zip.mjs').ZipEntry[]} entries */
function checkManifest(archive, entries) {
    const entry = entries.find((e) => e.name === 'extension/package.json');
    if (!entry) fail('no extension/package.json');
    const manifest = JSON.parse(readEntry(archive, entry).toString('utf8'));
    const main = `extension/${path.posix.normalize(manifest.main)}`;
    if (!entries.some((e) => e.name === main)) fail(`package.json main ${manifest.main} is not in the package`);
    return manifest;
}

/**
 * Extracts the bundled libraries, the way VS Code unpacks the extension.
 * @param {Buffer} archive @param {import('./lib/zip.mjs').ZipEntry[]} entries @param {string} target
 */
function extractLibs(archive, entries, target) {
    for (const entry of entries) {
        if (!entry.name.startsWith(LIBS) || entry.name.endsWith('/')) continue;
        const file = path.join(target, ...entry.name.slice(LIBS.length).split('/'));
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, readEntry(archive, entry));
    }
}

const options = parseArguments(process.argv.slice(2));
const archive = readFileSync(options.vsix);
const entries = listEntries(archive);
const names = entries.map((entry) => entry.name);
checkContents(names);
const manifest = checkManifest(archive, entries);
const libsCount = names.filter((name) => name.startsWith(LIBS)).length;
const parsers = names.filter((name) => /^extension\/bundled\/libs\/libcst\/native\.cpython-3\d+/.test(name));
console.log(`check-vsix: libcst parser builds: ${parsers.map((name) => name.replace(/.*native\.cpython-3(\d+).*/, '3.$1')).join(', ') || 'none'}`);
console.log(
    `check-vsix: ${path.basename(options.vsix)}: ${manifest.name} ${manifest.version}, ` +
        `${(archive.length / 1024 / 1024).toFixed(2)} MiB, ${entries.length} files (${libsCount} in bundled/libs)`,
);

if (!options.skipServer) {
    const scratch = mkdtempSync(path.join(tmpdir(), 'mlreview-vsix-'));
    try {
        const libs = path.join(scratch, 'libs');
        extractLibs(archive, entries, libs);
        // The same command and environment as the extension's useBundled launch (src/core/launch.ts).
        await runInitializeCheck({
            command: [options.python, '-m', 'mlreview', 'server'],
            env: { ...process.env, PYTHONPATH: libs, PYTHONSAFEPATH: '1' },
            openSample: true,
        });
    } catch (error) {
        fail(`the bundled server: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
        rmSync(scratch, { recursive: true, force: true });
    }
}
console.log('check-vsix: OK');
