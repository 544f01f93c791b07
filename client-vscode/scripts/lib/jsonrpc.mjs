// @ts-check
// A minimal LSP client over a child process's stdio: Content-Length framing, requests
// with ids, and default answers to the server's own requests. Enough to check that a
// server starts and answers `initialize`; no dependency beyond node.

import { spawn } from 'node:child_process';

/**
 * Encodes one JSON-RPC message with its header. Content-Length counts bytes, not characters.
 * @param {unknown} message
 */
export function encodeMessage(message) {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/** Splits a byte stream into JSON-RPC messages, however the chunks fall. */
export class MessageReader {
    /** @type {Buffer} */
    buffer = Buffer.alloc(0);

    /**
     * @param {Buffer} chunk
     * @returns {unknown[]} the messages completed by this chunk
     */
    feed(chunk) {
        this.buffer = Buffer.concat([this.buffer, chunk]);
        const messages = [];
        for (;;) {
            const headerEnd = this.buffer.indexOf('\r\n\r\n');
            if (headerEnd < 0) break;
            const length = contentLength(this.buffer.subarray(0, headerEnd).toString('ascii'));
            const bodyStart = headerEnd + 4;
            if (this.buffer.length < bodyStart + length) break;
            messages.push(JSON.parse(this.buffer.subarray(bodyStart, bodyStart + length).toString('utf8')));
            this.buffer = this.buffer.subarray(bodyStart + length);
        }
        return messages;
    }
}

/** @param {string} header */
function contentLength(header) {
    const match = /^content-length:\s*(\d+)\s*$/im.exec(header);
    if (!match?.[1]) throw new Error(`no Content-Length in header ${JSON.stringify(header)}`);
    return Number(match[1]);
}

/**
 * @typedef {{ jsonrpc: '2.0', id?: number | string | null, method?: string, params?: any, result?: any, error?: { code: number, message: string } }} Message
 * @typedef {(method: string, params: any) => unknown} RequestAnswerer
 */

/** A language server started as a child process, spoken to over stdio. */
export class LspProcess {
    nextId = 1;
    /** @type {Map<number, { resolve: (value: any) => void, reject: (error: Error) => void }>} */
    pending = new Map();
    /** @type {Message[]} notifications and requests the server sent, in order */
    received = [];
    /** @type {Set<(message: Message) => void>} */
    listeners = new Set();
    stderr = '';

    /**
     * @param {string[]} command
     * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, answer?: RequestAnswerer }} options
     */
    constructor(command, options = {}) {
        const [file, ...args] = command;
        if (!file) throw new Error('empty server command');
        this.answer = options.answer ?? (() => null);
        this.child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
        /** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null, error?: Error }>} */
        this.exited = new Promise((resolve) => {
            this.child.on('exit', (code, signal) => resolve({ code, signal }));
            this.child.on('error', (error) => {
                this.failAll(error);
                resolve({ code: null, signal: null, error });
            });
        });
        const reader = new MessageReader();
        this.child.stdout.on('data', (chunk) => {
            for (const message of reader.feed(chunk)) this.dispatch(/** @type {Message} */ (message));
        });
        // Writing to a server that already died raises EPIPE here; its exit is reported instead.
        this.child.stdin.on('error', () => {});
        this.child.stderr.on('data', (chunk) => {
            this.stderr += chunk.toString('utf8');
        });
        this.child.on('exit', (code) => this.failAll(new Error(`server exited (code ${code}) before answering`)));
    }

    /**
     * @param {string} method
     * @param {unknown} params
     * @param {number} timeoutMs
     * @returns {Promise<any>}
     */
    request(method, params, timeoutMs) {
        const id = this.nextId++;
        const answered = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
        this.send({ jsonrpc: '2.0', id, method, params });
        return withTimeout(answered, timeoutMs, `no answer to ${method} within ${timeoutMs} ms`);
    }

    /** @param {string} method @param {unknown} [params] */
    notify(method, params) {
        this.send({ jsonrpc: '2.0', method, params });
    }

    /** @param {Message} message */
    send(message) {
        this.child.stdin.write(encodeMessage(message));
    }

    /** @param {Message} message */
    dispatch(message) {
        if (message.method === undefined) {
            const waiter = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
            if (!waiter) return;
            this.pending.delete(/** @type {number} */ (message.id));
            if (message.error) waiter.reject(new Error(`${message.error.code}: ${message.error.message}`));
            else waiter.resolve(message.result);
            return;
        }
        this.received.push(message);
        for (const listener of this.listeners) listener(message);
        // A server waiting on its own request (e.g. workspace/configuration) would stall otherwise.
        if (message.id !== undefined) this.send({ jsonrpc: '2.0', id: message.id, result: this.answer(message.method, message.params) });
    }

    /**
     * The first message from the server (already received or still to come) that matches.
     * @param {(message: Message) => boolean} matches
     * @param {number} timeoutMs
     * @param {string} description
     * @returns {Promise<Message>}
     */
    waitFor(matches, timeoutMs, description) {
        const earlier = this.received.find(matches);
        if (earlier) return Promise.resolve(earlier);
        /** @type {(message: Message) => void} */
        let listener = () => {};
        const arrived = new Promise((resolve) => {
            listener = (message) => {
                if (matches(message)) resolve(message);
            };
            this.listeners.add(listener);
        });
        return withTimeout(arrived, timeoutMs, `no ${description} within ${timeoutMs} ms`).finally(() => this.listeners.delete(listener));
    }

    /** @param {Error} error */
    failAll(error) {
        for (const waiter of this.pending.values()) waiter.reject(error);
        this.pending.clear();
    }

    kill() {
        if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} message
 * @returns {Promise<T>}
 */
export function withTimeout(promise, ms, message) {
    /** @type {NodeJS.Timeout | undefined} */
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
    });
    return /** @type {Promise<T>} */ (Promise.race([promise, timeout]).finally(() => clearTimeout(timer)));
}
