// The extension's settings and their translation into the server's settings object
// (DESIGN.md, "Editor settings object"). No `vscode` import: tested under plain node.

export const SEVERITIES = ['error', 'warning', 'information', 'hint'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const IMPORT_STRATEGIES = ['useBundled', 'fromEnvironment'] as const;
export type ImportStrategy = (typeof IMPORT_STRATEGIES)[number];

export const LOG_LEVELS = ['off', 'error', 'warning', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the user can set under `mlreview.*`, after validation. */
export interface ExtensionSettings {
    enable: boolean;
    select: string[] | null;
    extendSelect: string[] | null;
    ignore: string[] | null;
    severity: Record<string, Severity> | null;
    exclude: string[] | null;
    debounce: number | null;
    docsBaseUrl: string | null;
    logLevel: LogLevel;
    interpreter: string[];
    path: string[];
    args: string[];
    importStrategy: ImportStrategy;
}

export type SettingKey = keyof ExtensionSettings;

/** The server refuses longer waits (server/core/config.py). */
export const MAX_DEBOUNCE_MS = 10_000;

export const DEFAULT_SETTINGS: Readonly<ExtensionSettings> = Object.freeze({
    enable: true,
    select: null,
    extendSelect: null,
    ignore: null,
    severity: null,
    exclude: null,
    debounce: null,
    docsBaseUrl: null,
    logLevel: 'info',
    interpreter: [],
    path: [],
    args: [],
    importStrategy: 'useBundled',
});

export const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as SettingKey[];

/** Settings that change how the server process is started: changing one restarts it. */
export const LAUNCH_SETTING_KEYS: readonly SettingKey[] = ['interpreter', 'path', 'args', 'importStrategy'];

/**
 * The settings object sent as initializationOptions and as the `mlreview` section of
 * workspace/didChangeConfiguration. Keys are the ones `[tool.mlreview]` uses.
 */
export interface ServerSettings {
    enable: boolean;
    logLevel: LogLevel;
    select?: string[];
    'extend-select'?: string[];
    ignore?: string[];
    severity?: Record<string, Severity>;
    exclude?: string[];
    debounce?: number;
    docsBaseUrl?: string;
}

/**
 * Unset rule settings are left out rather than sent empty: the editor's settings
 * override the project's pyproject.toml, so an empty `select` would silence every rule.
 */
export function toServerSettings(settings: ExtensionSettings): ServerSettings {
    const server: ServerSettings = { enable: settings.enable, logLevel: settings.logLevel };
    if (settings.select !== null) server.select = [...settings.select];
    if (settings.extendSelect !== null) server['extend-select'] = [...settings.extendSelect];
    if (settings.ignore !== null) server.ignore = [...settings.ignore];
    if (settings.severity !== null) server.severity = { ...settings.severity };
    if (settings.exclude !== null) server.exclude = [...settings.exclude];
    if (settings.debounce !== null) server.debounce = settings.debounce;
    if (settings.docsBaseUrl !== null) server.docsBaseUrl = settings.docsBaseUrl;
    return server;
}

/**
 * What the server gets at start: the settings, and the interpreter of the user's environment
 * (the `mlreview.interpreter` setting, else the Python extension's selection) whose installed
 * library versions it reads, as ruff-vscode sends `interpreter`. Not a guessed `python3`.
 */
export function initializationOptions(
    settings: ExtensionSettings,
    userInterpreter: readonly string[] | undefined,
): ServerSettings & { interpreter?: string[] } {
    const options: ServerSettings & { interpreter?: string[] } = toServerSettings(settings);
    if (userInterpreter && userInterpreter.length > 0) options.interpreter = [...userInterpreter];
    return options;
}

export interface ValidatedSettings {
    settings: ExtensionSettings;
    /** One sentence per rejected value, for the log: VS Code does not enforce the schema. */
    problems: string[];
}

/** Validates raw values read from the configuration; a wrong value falls back to its default. */
export function validateSettings(raw: Partial<Record<SettingKey, unknown>>): ValidatedSettings {
    const problems: string[] = [];
    const settings: ExtensionSettings = { ...DEFAULT_SETTINGS };
    const assign = <K extends SettingKey>(key: K, accept: (value: unknown) => value is ExtensionSettings[K], expected: string) => {
        const value = raw[key];
        if (value === undefined) return;
        if (accept(value)) {
            settings[key] = value;
        } else {
            problems.push(`mlreview.${key} must be ${expected}; got ${JSON.stringify(value)}, using the default.`);
        }
    };
    assign('enable', isBoolean, 'true or false');
    for (const key of ['select', 'extendSelect', 'ignore', 'exclude'] as const) {
        assign(key, isStringArrayOrNull, 'a list of strings');
    }
    assign('severity', isSeverityMapOrNull, `an object mapping codes to one of ${SEVERITIES.join(', ')}`);
    assign('debounce', isDebounceOrNull, `a number of milliseconds from 0 to ${MAX_DEBOUNCE_MS}`);
    assign('docsBaseUrl', isStringOrNull, 'a URL');
    assign('logLevel', (v): v is LogLevel => isOneOf(v, LOG_LEVELS), `one of ${LOG_LEVELS.join(', ')}`);
    for (const key of ['interpreter', 'path', 'args'] as const) {
        assign(key, isStringArray, 'a list of strings');
    }
    assign('importStrategy', (v): v is ImportStrategy => isOneOf(v, IMPORT_STRATEGIES), IMPORT_STRATEGIES.join(' or '));
    return { settings, problems };
}

function isBoolean(value: unknown): value is boolean {
    return typeof value === 'boolean';
}

function isStringArray(value: unknown): value is string[] {
    return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isStringArrayOrNull(value: unknown): value is string[] | null {
    return value === null || isStringArray(value);
}

function isStringOrNull(value: unknown): value is string | null {
    return value === null || typeof value === 'string';
}

function isDebounceOrNull(value: unknown): value is number | null {
    return value === null || (typeof value === 'number' && value >= 0 && value <= MAX_DEBOUNCE_MS);
}

function isSeverityMapOrNull(value: unknown): value is Record<string, Severity> | null {
    if (value === null) return true;
    if (typeof value !== 'object' || Array.isArray(value)) return false;
    return Object.values(value).every((level) => isOneOf(level, SEVERITIES));
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
    return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}
