import { useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TeamView } from '../../../src-shared/ipc-contract';
import { useTeam } from '../../app/store-hooks';

type TeamMode = TeamView['connection']['mode'];

const MODES: Array<{ mode: TeamMode; label: string }> = [
  { mode: 'embedded', label: 'Embedded' },
  { mode: 'supabase', label: 'Supabase' },
];

/** What is in use now, whatever the form is being edited to. */
function CurrentConnection({ connection }: { connection: TeamView['connection'] }) {
  return (
    <p className="team-current" data-testid="team-current">
      In use:{' '}
      {connection.mode === 'embedded' ? (
        <strong>the embedded database on this computer</strong>
      ) : (
        <>
          <strong>Supabase</strong> <code>{connection.url ?? 'no URL'}</code>
        </>
      )}
    </p>
  );
}

/** The result of "Test connection", or why it could not run. */
function TestOutcome({ testedUrl }: { testedUrl: string }) {
  const { test, error } = useTeam(useShallow((state) => ({ test: state.test, error: state.errors.test })));
  if (error) {
    return (
      <p className="team-test is-failed" role="alert" data-testid="team-test-result">
        Connection not tested: {error}
      </p>
    );
  }
  if (!test || test.url !== testedUrl) return null;
  return (
    <p className={test.ok ? 'team-test is-ok' : 'team-test is-failed'} role="status" data-testid="team-test-result">
      {test.ok ? 'Connection ok: ' : 'Connection failed: '}
      {test.message}
    </p>
  );
}

/**
 * Embedded or a Supabase project: the mode, the project URL and its anon key. The key field is a password
 * field emptied after each save; only "key set" / "not set" ever comes back from the main process.
 */
export function ConnectionForm({ connection }: { connection: TeamView['connection'] }) {
  const { configure, testConnection, clearTest, busy, error } = useTeam(
    useShallow((state) => ({
      configure: state.configure,
      testConnection: state.testConnection,
      clearTest: state.clearTest,
      busy: state.busy,
      error: state.errors.configure,
    })),
  );
  const [mode, setMode] = useState<TeamMode>(connection.mode);
  const [url, setUrl] = useState(connection.url ?? '');
  const [anonKey, setAnonKey] = useState('');
  const trimmedUrl = url.trim();
  // Nothing to save when the project in use is the one shown and no new key was pasted.
  const unchanged = connection.mode === 'supabase' && trimmedUrl === connection.url && !anonKey.trim();

  const choose = (next: TeamMode) => {
    setMode(next);
    clearTest();
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    // Emptied whatever the outcome: a refused key should be pasted again, not linger in the page.
    const typed = anonKey.trim();
    setAnonKey('');
    await configure({ mode: 'supabase', url: trimmedUrl, ...(typed ? { anonKey: typed } : {}) });
  };
  const test = () => {
    const typed = anonKey.trim();
    void testConnection({ url: trimmedUrl, ...(typed ? { anonKey: typed } : {}) });
  };

  return (
    <div className="team-connection">
      <CurrentConnection connection={connection} />
      <div className="segmented team-mode" role="radiogroup" aria-label="Store">
        {MODES.map((option) => (
          <button
            key={option.mode}
            type="button"
            role="radio"
            aria-checked={mode === option.mode}
            className={mode === option.mode ? 'segment is-selected' : 'segment'}
            onClick={() => choose(option.mode)}
          >
            {option.label}
          </button>
        ))}
      </div>

      {mode === 'embedded' ? (
        <div className="team-embedded">
          <p className="field-hint">Conversations, feedback and settings stay in the embedded database on this computer. Nothing is shared and nobody signs in.</p>
          {connection.mode !== 'embedded' && (
            <div className="form-actions">
              {error && (
                <p className="inline-error" role="alert">
                  Not switched: {error}
                </p>
              )}
              <button type="button" className="button button-primary" disabled={busy !== null} onClick={() => void configure({ mode: 'embedded' })}>
                {busy === 'configure' ? 'Switching…' : 'Use the embedded database'}
              </button>
            </div>
          )}
        </div>
      ) : (
        <form className="stacked-form team-supabase" onSubmit={(event) => void save(event)} aria-label="Supabase project">
          <label className="field-row">
            <span className="field-label">Project URL</span>
            <input
              type="url"
              value={url}
              required
              spellCheck={false}
              placeholder="https://abcd.supabase.co"
              onChange={(event) => {
                setUrl(event.target.value);
                clearTest();
              }}
            />
          </label>
          <div className="field-row">
            <span className="field-label" id="team-anon-key-label">
              Anon key
            </span>
            <div className="team-key">
              <input
                type="password"
                autoComplete="off"
                spellCheck={false}
                aria-labelledby="team-anon-key-label"
                placeholder={connection.anonKeySet ? 'Paste a new anon key to replace it' : "Paste the project's anon (publishable) key"}
                value={anonKey}
                onChange={(event) => {
                  setAnonKey(event.target.value);
                  clearTest();
                }}
              />
              <span className={connection.anonKeySet ? 'secret-source is-keychain' : 'secret-source'} data-testid="team-key-status">
                {connection.anonKeySet ? 'key set' : 'not set'}
              </span>
            </div>
          </div>
          <p className="field-hint team-hint">
            Kept in the keychain; Triad shows only whether it is set. Never the service-role key. Plain http is accepted only on this computer.
          </p>
          <TestOutcome testedUrl={trimmedUrl} />
          <div className="form-actions">
            {error && (
              <p className="inline-error" role="alert">
                Not saved: {error}
              </p>
            )}
            <button type="button" className="button" disabled={busy !== null || !trimmedUrl} onClick={test}>
              {busy === 'test' ? 'Testing…' : 'Test connection'}
            </button>
            <button type="submit" className="button button-primary" disabled={busy !== null || unchanged}>
              {busy === 'configure' ? 'Saving…' : connection.mode === 'supabase' ? 'Save connection' : 'Use Supabase'}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
