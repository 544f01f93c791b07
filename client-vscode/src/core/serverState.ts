// What the language status item says about the server.

export type ServerState =
    | { kind: 'starting' }
    | { kind: 'running'; version: string | undefined; launch: string }
    | { kind: 'stopped' }
    | { kind: 'failed'; message: string };

export interface StatusView {
    text: string;
    detail: string;
    level: 'information' | 'warning' | 'error';
    busy: boolean;
}

export function describeServerState(state: ServerState): StatusView {
    switch (state.kind) {
        case 'starting':
            return { text: 'mlreview', detail: 'starting…', level: 'information', busy: true };
        case 'running':
            return {
                text: state.version ? `mlreview ${state.version}` : 'mlreview',
                detail: state.launch,
                level: 'information',
                busy: false,
            };
        case 'stopped':
            return { text: 'mlreview', detail: 'stopped', level: 'warning', busy: false };
        case 'failed':
            return { text: 'mlreview', detail: state.message, level: 'error', busy: false };
    }
}
