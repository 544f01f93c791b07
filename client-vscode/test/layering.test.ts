import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

// The bundled test file runs from out/test/.
const core = path.join(__dirname, '..', '..', 'src', 'core');

test('src/core/ runs without VS Code: it imports neither vscode nor the language client', () => {
    for (const file of readdirSync(core).filter((name) => name.endsWith('.ts'))) {
        const source = readFileSync(path.join(core, file), 'utf8');
        assert.doesNotMatch(source, /from ['"](vscode|vscode-languageclient[^'"]*)['"]|require\(['"]vscode/, file);
    }
});
