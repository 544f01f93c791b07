import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeServerState } from '../src/core/serverState';

test('the status item names the version when running, the reason when failed', () => {
    assert.deepEqual(describeServerState({ kind: 'running', version: '0.1.0', launch: 'bundled server, Python 3.11.7' }), {
        text: 'mlreview 0.1.0',
        detail: 'bundled server, Python 3.11.7',
        level: 'information',
        busy: false,
    });
    assert.equal(describeServerState({ kind: 'running', version: undefined, launch: 'x' }).text, 'mlreview');
    assert.equal(describeServerState({ kind: 'starting' }).busy, true);
    const failed = describeServerState({ kind: 'failed', message: 'mlreview needs Python 3.10 or newer' });
    assert.equal(failed.level, 'error');
    assert.equal(failed.detail, 'mlreview needs Python 3.10 or newer');
});
