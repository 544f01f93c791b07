import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { encodeMessage, LspProcess, MessageReader } from '../scripts/lib/jsonrpc.mjs';

describe('JSON-RPC framing', () => {
    test('Content-Length counts UTF-8 bytes', () => {
        const encoded = encodeMessage({ text: 'é✓' }).toString('utf8');
        const body = JSON.stringify({ text: 'é✓' });
        assert.equal(encoded, `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        assert.notEqual(Buffer.byteLength(body), body.length);
    });

    test('reassembles messages split at any byte, several per chunk', () => {
        const messages = [{ id: 1, result: 'naïve' }, { method: 'x', params: { emoji: '🙂' } }, { id: 2, result: null }];
        const stream = Buffer.concat(messages.map((message) => encodeMessage(message)));
        for (const chunkSize of [1, 3, 7, stream.length]) {
            const reader = new MessageReader();
            const decoded: unknown[] = [];
            for (let offset = 0; offset < stream.length; offset += chunkSize) {
                decoded.push(...reader.feed(stream.subarray(offset, offset + chunkSize)));
            }
            assert.deepEqual(decoded, messages, `chunks of ${chunkSize} bytes`);
        }
    });

    test('accepts other headers and any header case', () => {
        const body = '{"id":1}';
        const reader = new MessageReader();
        const raw = `content-type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: ${body.length}\r\n\r\n${body}`;
        assert.deepEqual(reader.feed(Buffer.from(raw)), [{ id: 1 }]);
    });
});

describe('LspProcess', () => {
    // Tests run bundled from out/test/; the fixture stays in test/fixtures/.
    const echoServer = path.join(__dirname, '..', '..', 'test', 'fixtures', 'echo-server.mjs');

    test('matches answers to requests and answers the server\u2019s own requests', async () => {
        const server = new LspProcess([process.execPath, echoServer], {
            answer: (method) => (method === 'workspace/configuration' ? ['settings'] : null),
        });
        try {
            assert.deepEqual(await server.request('first', { n: 1 }, 5000), { n: 1 });
            assert.deepEqual(await server.request('second', { n: 2 }, 5000), { n: 2 });
            const note = await server.waitFor((m) => m.method === 'note', 5000, 'note');
            assert.deepEqual(note.params, ['settings']);
            server.notify('exit');
            assert.equal((await server.exited).code, 0);
        } finally {
            server.kill();
        }
    });

    test('a server that dies fails the pending request instead of hanging', async () => {
        const server = new LspProcess([process.execPath, '-e', 'process.exit(4)']);
        await assert.rejects(server.request('initialize', {}, 5000), /exited \(code 4\)/);
    });
});
