// Bundles the extension (dist/) or the unit tests (out/test/) with esbuild.
// Usage: node scripts/build.mjs extension|tests [--watch]
import * as esbuild from 'esbuild';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const target = process.argv[2];

/** @type {Record<string, import('esbuild').BuildOptions>} */
const builds = {
    extension: {
        entryPoints: [path.join(root, 'src', 'extension.ts')],
        outfile: path.join(root, 'dist', 'extension.js'),
        // `vscode` only exists inside the extension host.
        external: ['vscode'],
        minify: true,
        sourcemap: false,
    },
    tests: {
        // A stub stands in for `vscode` so the language client can be constructed under node;
        // test/layering.test.ts keeps src/core/ free of `vscode` itself.
        alias: { vscode: path.join(root, 'test', 'fixtures', 'vscode-stub.cjs') },
        entryPoints: readdirSync(path.join(root, 'test'))
            .filter((name) => name.endsWith('.test.ts'))
            .map((name) => path.join(root, 'test', name)),
        outdir: path.join(root, 'out', 'test'),
        sourcemap: 'inline',
    },
};

const options = builds[target ?? ''];
if (!options) {
    console.error(`usage: node scripts/build.mjs ${Object.keys(builds).join('|')}`);
    process.exit(2);
}
await esbuild.build({
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    ...options,
});
