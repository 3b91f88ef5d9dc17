import { useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SecretsStatus } from '../../../src-shared/secrets';
import { SECRET_LABELS, SECRET_NAMES, type SecretName, type SecretSource } from '../../../src-shared/secrets';
import { useSettings } from '../../app/store-hooks';
import { SaveOutcome, SettingsCard } from './settings-card';

/** The environment variables that override each keychain entry (see README, Configuration). */
const SECRET_ENV_VARS: Record<SecretName, string> = { 'huggingface-token': 'HF_TOKEN', 'openai-api-key': 'OPENAI_API_KEY' };

const SOURCE_LABELS: Record<SecretSource, string> = { keychain: 'set (keychain)', environment: 'set (environment)', unset: 'not set' };

/** One key: where it is set, and a password field to set or replace it. The value never comes back. */
function SecretRow({ name, source, keychainAvailable }: { name: SecretName; source: SecretSource; keychainAvailable: boolean }) {
  const { setSecret, clearSecret, busy } = useSettings(
    useShallow((state) => ({ setSecret: state.setSecret, clearSecret: state.clearSecret, busy: state.saving === `secret.${name}` })),
  );
  const [value, setValue] = useState('');
  const fromEnvironment = source === 'environment';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Cleared whatever the outcome: a refused key should be typed again, not linger in the page.
    const typed = value;
    setValue('');
    await setSecret(name, typed);
  };
  const label = SECRET_LABELS[name];
  return (
    <form className="secret-row" onSubmit={(event) => void submit(event)} data-testid={`secret-${name}`}>
      <div className="secret-head">
        <span className="field-label">{label}</span>
        <span className={`secret-source is-${source}`}>{SOURCE_LABELS[source]}</span>
      </div>
      <div className="inline-fields">
        <input
          type="password"
          autoComplete="off"
          spellCheck={false}
          aria-label={label}
          placeholder={source === 'unset' ? `Paste the ${label}` : `Paste a new ${label} to replace it`}
          value={value}
          disabled={!keychainAvailable || busy}
          onChange={(event) => setValue(event.target.value)}
        />
        <button type="submit" className="button button-primary" disabled={!value.trim() || busy}>
          {source === 'keychain' ? 'Replace' : 'Save'}
        </button>
        <button type="button" className="button" disabled={source !== 'keychain' || busy} onClick={() => void clearSecret(name)}>
          Clear
        </button>
      </div>
      {fromEnvironment && (
        <p className="field-hint">
          {SECRET_ENV_VARS[name]} is set in the environment and wins over the keychain; unset it to use the key saved here.
        </p>
      )}
      <SaveOutcome section={`secret.${name}`} />
    </form>
  );
}

export function ApiKeysSection({ secrets }: { secrets: SecretsStatus }) {
  return (
    <SettingsCard
      title="API keys"
      description="Kept in the operating system's keychain (the desktop app encrypts them with a key the keychain holds). Triad shows only whether a key is set, never its value."
    >
      {secrets.keychain.available ? (
        <p className="field-hint" data-testid="secrets-storage">
          Stored with {secrets.keychain.detail}.
        </p>
      ) : (
        <p className="notice" data-testid="secrets-storage">
          Keys cannot be stored safely here: {secrets.keychain.detail}. They can come only from the environment (HF_TOKEN, OPENAI_API_KEY).
        </p>
      )}
      {SECRET_NAMES.map((name) => (
        <SecretRow key={name} name={name} source={secrets.secrets[name] ?? 'unset'} keychainAvailable={secrets.keychain.available} />
      ))}
    </SettingsCard>
  );
}
