import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseProbeOutput, probeInterpreter } from '../src/core/probe';

describe('parseProbeOutput', () => {
    test('reads the last line, after whatever a wrapper printed', () => {
        const output = 'activating env...\n{"version": [3, 12, 1], "executable": "/env/bin/python", "mlreview": false}\n';
        assert.deepEqual(parseProbeOutput(output), { version: [3, 12, 1], executable: '/env/bin/python', hasMlreview: false });
    });

    test('garbage is an error that quotes it', () => {
        assert.throws(() => parseProbeOutput('Python was not found; run without arguments to install'), /unexpected output.*Python was not found/);
        assert.throws(() => parseProbeOutput('{"version": [3]}'), /unexpected output/);
    });
});

describe('probeInterpreter (runs the real python3)', () => {
    test('reports the version of python3 and whether mlreview is importable', async () => {
        const result = await probeInterpreter(['python3'], {});
        assert.equal(result.version[0], 3);
        assert.equal(typeof result.hasMlreview, 'boolean');
        assert.ok(result.executable.length > 0);
    });

    test('finds mlreview on the PYTHONPATH it is given, as the bundled server is found', async () => {
        const libs = mkdtempSync(path.join(tmpdir(), 'mlreview-probe-'));
        mkdirSync(path.join(libs, 'mlreview'));
        writeFileSync(path.join(libs, 'mlreview', '__init__.py'), '');
        try {
            assert.equal((await probeInterpreter(['python3'], { PYTHONPATH: libs })).hasMlreview, true);
        } finally {
            rmSync(libs, { recursive: true, force: true });
        }
    });

    test('a missing interpreter is a clear error', async () => {
        await assert.rejects(probeInterpreter(['/no/such/python'], {}), /the command was not found/);
    });

    test('a failing interpreter reports its last stderr line', async () => {
        await assert.rejects(probeInterpreter(['python3', '-c', 'raise SystemExit("broken env")'], {}), /broken env/);
    });
});
