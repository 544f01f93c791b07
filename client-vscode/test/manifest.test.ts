// package.json is half of the extension's code: these checks keep it in step with src/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { COMMAND_IDS } from '../src/core/commandIds';
import { CLIENT_OWNED_COMMANDS } from '../src/core/serverCommands';
import { DEFAULT_SETTINGS, IMPORT_STRATEGIES, LOG_LEVELS, SETTING_KEYS, SEVERITIES } from '../src/core/settings';

interface Manifest {
    main: string;
    engines: { vscode: string };
    devDependencies: Record<string, string>;
    activationEvents: string[];
    contributes: {
        commands: { command: string }[];
        codeActions: { languages: string[]; actions: { kind: string } }[];
        configuration: { properties: Record<string, { default?: unknown; enum?: string[]; additionalProperties?: { enum?: string[] } }> };
    };
}

// The bundled test file runs from out/test/.
const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
const properties = manifest.contributes.configuration.properties;

describe('package.json', () => {
    test('declares every setting the extension reads, with the same default', () => {
        for (const key of SETTING_KEYS) {
            const declared = properties[`mlreview.${key}`];
            assert.ok(declared, `mlreview.${key} is not declared`);
            assert.deepEqual(declared.default, DEFAULT_SETTINGS[key], `default of mlreview.${key}`);
        }
        assert.ok(properties['mlreview.trace.server'], 'mlreview.trace.server (read by vscode-languageclient)');
    });

    test('declares no setting that nothing reads', () => {
        const read = new Set([...SETTING_KEYS.map((key) => `mlreview.${key}`), 'mlreview.trace.server']);
        assert.deepEqual(Object.keys(properties).filter((key) => !read.has(key)), []);
    });

    test('enums match the values the code accepts', () => {
        assert.deepEqual(properties['mlreview.importStrategy']?.enum, [...IMPORT_STRATEGIES]);
        assert.deepEqual(properties['mlreview.logLevel']?.enum, [...LOG_LEVELS]);
        assert.deepEqual(properties['mlreview.severity']?.additionalProperties?.enum, [...SEVERITIES]);
    });

    test('declares exactly the commands the extension registers', () => {
        const declared: string[] = manifest.contributes.commands.map((command) => command.command).sort();
        assert.deepEqual(declared, Object.values<string>(COMMAND_IDS).sort());
        for (const command of CLIENT_OWNED_COMMANDS) assert.ok(declared.includes(command), `${command} must be a palette command`);
    });

    test('offers source.fixAll.mlreview for editor.codeActionsOnSave', () => {
        const kinds = manifest.contributes.codeActions.flatMap((entry) => entry.actions.kind);
        assert.ok(kinds.includes('source.fixAll.mlreview'));
    });

    test('activates on Python files and Jupyter notebooks, and runs the bundle', () => {
        assert.deepEqual(manifest.activationEvents.sort(), ['onLanguage:python', 'onNotebook:jupyter-notebook']);
        assert.equal(manifest.main, './dist/extension.js');
    });

    test('@types/vscode is not newer than engines.vscode (vsce refuses to package otherwise)', () => {
        const engine = manifest.engines.vscode.replace(/^\^/, '').split('.').map(Number);
        const types = (manifest.devDependencies['@types/vscode'] ?? '').replace(/^[\^~]/, '').split('.').map(Number);
        assert.ok(compareVersions(types, engine) <= 0, `@types/vscode ${types.join('.')} > engines.vscode ${engine.join('.')}`);
        // vscode-languageclient 11 needs 1.91.
        assert.ok(compareVersions(engine, [1, 91, 0]) >= 0);
    });
});

function compareVersions(a: number[], b: number[]): number {
    for (let i = 0; i < 3; i++) {
        const difference = (a[i] ?? 0) - (b[i] ?? 0);
        if (difference !== 0) return difference;
    }
    return 0;
}
