import { SECRET_ENV_OVERRIDES, type KeychainSecretName } from './secret-store';
import { describeSecret } from './validate-secret';

/** What a secret store was asked to do, as its error messages say it. */
export type Action = 'read' | 'save' | 'delete';

/** `Could not read the Hugging Face token (huggingface-token) from the OS keychain`: the start of every store failure. */
export function failedTo(action: Action, name: KeychainSecretName, place = 'the OS keychain'): string {
  return `Could not ${action} the ${describeSecret(name)} ${action === 'save' ? 'in' : 'from'} ${place}`;
}

export function withSpace(text: string): string {
  return text === '' ? '' : ` ${text}`;
}

/** Where else the secret can come from when no store can keep it: its environment variable, if it has one. */
export function environmentHint(name: KeychainSecretName): string {
  const variable = SECRET_ENV_OVERRIDES[name];
  return variable === undefined ? '' : `Alternatively set ${variable} in the environment Triad starts in.`;
}
