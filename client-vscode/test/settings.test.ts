import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_SETTINGS, initializationOptions, toServerSettings, validateSettings, type ExtensionSettings } from '../src/core/settings';

function settingsWith(overrides: Partial<ExtensionSettings>): ExtensionSettings {
    return { ...DEFAULT_SETTINGS, ...overrides };
}

describe('toServerSettings', () => {
    test('defaults send only enable and logLevel, so the project file decides the rules', () => {
        assert.deepEqual(toServerSettings(DEFAULT_SETTINGS), { enable: true, logLevel: 'info' });
    });

    test('maps every rule setting to the key DESIGN.md names', () => {
        const server = toServerSettings(
            settingsWith({
                enable: false,
                select: ['ML1'],
                extendSelect: ['ML201'],
                ignore: ['ML5'],
                severity: { ML101: 'error' },
                exclude: ['legacy/**'],
                debounce: 0,
                docsBaseUrl: 'https://docs.example/rules/',
                logLevel: 'debug',
            }),
        );
        assert.deepEqual(server, {
            enable: false,
            logLevel: 'debug',
            select: ['ML1'],
            'extend-select': ['ML201'],
            ignore: ['ML5'],
            severity: { ML101: 'error' },
            exclude: ['legacy/**'],
            debounce: 0,
            docsBaseUrl: 'https://docs.example/rules/',
        });
    });

    test('an explicitly empty select is sent (it means "no rules"), unlike an unset one', () => {
        assert.deepEqual(toServerSettings(settingsWith({ select: [] })).select, []);
    });

    test('launch settings never reach the server', () => {
        const server = toServerSettings(settingsWith({ interpreter: ['py'], path: ['x'], args: ['--y'], importStrategy: 'fromEnvironment' }));
        assert.deepEqual(Object.keys(server).sort(), ['enable', 'logLevel']);
    });

    test('the result does not share arrays with the settings', () => {
        const select = ['ML1'];
        const server = toServerSettings(settingsWith({ select }));
        select.push('ML2');
        assert.deepEqual(server.select, ['ML1']);
    });
});

describe('initializationOptions', () => {
    test('name the user\'s interpreter, whose installed versions the server reads', () => {
        const options = initializationOptions(DEFAULT_SETTINGS, ['conda', 'run', '-n', 'ml', 'python']);
        assert.deepEqual(options, { enable: true, logLevel: 'info', interpreter: ['conda', 'run', '-n', 'ml', 'python'] });
    });

    test('without a known interpreter the server is told none (it falls back to nothing)', () => {
        assert.deepEqual(initializationOptions(DEFAULT_SETTINGS, undefined), { enable: true, logLevel: 'info' });
        assert.equal('interpreter' in initializationOptions(DEFAULT_SETTINGS, []), false);
    });
});

describe('validateSettings', () => {
    test('missing values take the defaults without complaint', () => {
        assert.deepEqual(validateSettings({}), { settings: DEFAULT_SETTINGS, problems: [] });
    });

    test('valid values are kept', () => {
        const raw = { select: ['ML2'], severity: { ML201: 'hint' }, debounce: 150, importStrategy: 'fromEnvironment', interpreter: ['/usr/bin/python3'] };
        const { settings, problems } = validateSettings(raw);
        assert.deepEqual(problems, []);
        assert.deepEqual(settings.select, ['ML2']);
        assert.deepEqual(settings.severity, { ML201: 'hint' });
        assert.equal(settings.debounce, 150);
        assert.equal(settings.importStrategy, 'fromEnvironment');
        assert.deepEqual(settings.interpreter, ['/usr/bin/python3']);
    });

    test('wrong values fall back to the default and are reported by name', () => {
        const { settings, problems } = validateSettings({
            select: 'ML1',
            severity: { ML101: 'fatal' },
            debounce: 60_000,
            importStrategy: 'bundled',
            enable: 'yes',
            interpreter: '/usr/bin/python3',
        });
        assert.deepEqual(settings, DEFAULT_SETTINGS);
        for (const key of ['select', 'severity', 'debounce', 'importStrategy', 'enable', 'interpreter']) {
            assert.ok(
                problems.some((problem) => problem.startsWith(`mlreview.${key} `)),
                `no problem reported for ${key}: ${problems.join(' | ')}`,
            );
        }
    });

    test('null clears the rule settings (the schema default)', () => {
        const { settings, problems } = validateSettings({ select: null, severity: null, debounce: null, docsBaseUrl: null });
        assert.deepEqual(problems, []);
        assert.equal(settings.select, null);
    });
});
