// The language client, minus one conflict: server commands the extension wraps itself.

import {
    ExecuteCommandRequest,
    LanguageClient,
    type DynamicFeature,
    type ExecuteCommandRegistrationOptions,
    type RegistrationData,
    type StaticFeature,
} from 'vscode-languageclient/node';
import { commandsForLanguageClient } from './core/serverCommands';

/** A LanguageClient that leaves the commands the extension wraps itself to the extension. */
export class MlreviewLanguageClient extends LanguageClient {
    override registerFeature(feature: StaticFeature | DynamicFeature<unknown>): void {
        if (isExecuteCommandFeature(feature)) keepClientOwnedCommands(feature);
        super.registerFeature(feature);
    }
}

function isExecuteCommandFeature(
    feature: StaticFeature | DynamicFeature<unknown>,
): feature is DynamicFeature<ExecuteCommandRegistrationOptions> {
    return 'registrationType' in feature && feature.registrationType.method === ExecuteCommandRequest.method;
}

// Called from the base constructor (before subclass fields exist), hence a plain function.
function keepClientOwnedCommands(feature: DynamicFeature<ExecuteCommandRegistrationOptions>): void {
    const register = feature.register.bind(feature);
    feature.register = (data: RegistrationData<ExecuteCommandRegistrationOptions>) =>
        register({
            ...data,
            registerOptions: { ...data.registerOptions, commands: commandsForLanguageClient(data.registerOptions.commands) },
        });
}
