import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import { MlreviewLanguageClient } from '../src/languageClient';

// Resolved to test/fixtures/vscode-stub.cjs by the test build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const vscodeStub = require('vscode') as { registeredCommands: string[] };

test('the real vscode-languageclient registers only the server commands the extension does not wrap', () => {
    const client = new MlreviewLanguageClient('mlreview', 'mlreview', { command: 'unused' }, {});
    const feature = client.getFeature(ExecuteCommandRequest.method as never) as unknown as {
        initialize(capabilities: unknown): void;
    };
    vscodeStub.registeredCommands.length = 0;
    feature.initialize({ executeCommandProvider: { commands: ['mlreview.fixAll', 'mlreview.showRule', 'mlreview.other'] } });
    // Registering mlreview.fixAll here too would throw in VS Code ("command already exists")
    // and fail the client's start.
    assert.deepEqual(vscodeStub.registeredCommands, ['mlreview.other']);
});

test('the client advertises window.workDoneProgress, so the server shows its background review in the status bar', () => {
    const client = new MlreviewLanguageClient('mlreview', 'mlreview', { command: 'unused' }, {});
    // The capabilities sent in `initialize`, as the real vscode-languageclient computes them.
    const capabilities = (client as unknown as { computeClientCapabilities(): { window?: { workDoneProgress?: boolean } } })
        .computeClientCapabilities();
    assert.equal(capabilities.window?.workDoneProgress, true);
});
