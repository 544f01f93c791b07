// The VS Code commands the extension contributes (package.json `contributes.commands`).

export const COMMAND_IDS = {
    restart: 'mlreview.restart',
    showLogs: 'mlreview.showLogs',
    fixAll: 'mlreview.fixAll',
    showRule: 'mlreview.showRule',
    showReport: 'mlreview.showReport',
} as const;
