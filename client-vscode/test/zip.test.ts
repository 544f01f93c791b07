import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { listEntries, readEntry } from '../scripts/lib/zip.mjs';

test('reads stored and deflated entries of a zip written by another tool (Python zipfile)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zip-test-'));
    const file = path.join(dir, 'a.zip');
    try {
        const script = [
            'import sys, zipfile',
            'with zipfile.ZipFile(sys.argv[1], "w") as z:',
            '    z.writestr("extension/stored.txt", "plain", compress_type=zipfile.ZIP_STORED)',
            '    z.writestr("extension/bundled/libs/mlreview/__init__.py", "x = \'\u00e9\'\\n" * 500, compress_type=zipfile.ZIP_DEFLATED)',
            '    z.comment = b"a trailing comment"',
        ].join('\n');
        execFileSync('python3', ['-c', script, file]);
        const archive = readFileSync(file);
        const entries = listEntries(archive);
        assert.deepEqual(entries.map((entry) => entry.name), ['extension/stored.txt', 'extension/bundled/libs/mlreview/__init__.py']);
        const [stored, deflated] = entries;
        assert.ok(stored && deflated);
        assert.equal(readEntry(archive, stored).toString('utf8'), 'plain');
        assert.equal(deflated.method, 8);
        assert.equal(readEntry(archive, deflated).toString('utf8'), "x = '\u00e9'\n".repeat(500));
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});

test('a file that is not a zip is refused', () => {
    assert.throws(() => listEntries(Buffer.from('not a zip at all, but long enough to look for a record')), /not a zip/);
});
