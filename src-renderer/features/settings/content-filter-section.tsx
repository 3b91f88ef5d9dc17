import { useState, type FormEvent } from 'react';
import type { SettingsView } from '../../../src-shared/ipc-contract';
import { useSettings } from '../../app/store-hooks';
import { SaveOutcome, SettingsCard } from './settings-card';

type Mode = SettingsView['contentFilter']['mode'];

const MODES: Array<{ mode: Mode; label: string }> = [
  { mode: 'off', label: 'Off' },
  { mode: 'mask', label: 'Mask each term' },
  { mode: 'block', label: 'End the answer at the first term' },
];

/** Terms the response handler masks or blocks in model output. */
export function ContentFilterSection({ contentFilter }: { contentFilter: SettingsView['contentFilter'] }) {
  const save = useSettings((state) => state.saveContentFilter);
  const busy = useSettings((state) => state.saving === 'contentFilter');
  const [mode, setMode] = useState<Mode>(contentFilter.mode);
  const [terms, setTerms] = useState(contentFilter.terms.join('\n'));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const list = terms
      .split('\n')
      .map((term) => term.trim())
      .filter(Boolean);
    void save({ mode, terms: list });
  };
  return (
    <SettingsCard title="Content filter" description="Applied to every answer as it streams. Terms are matched case-insensitively.">
      <form className="stacked-form" onSubmit={submit}>
        <label className="field-row">
          <span className="field-label">Mode</span>
          <select value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
            {MODES.map((m) => (
              <option key={m.mode} value={m.mode}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field-row field-row-top">
          <span className="field-label">Terms</span>
          <textarea rows={4} value={terms} onChange={(e) => setTerms(e.target.value)} placeholder="One term per line" spellCheck={false} />
        </label>
        <div className="form-actions">
          <SaveOutcome section="contentFilter" />
          <button type="submit" className="button button-primary" disabled={busy}>
            Save filter
          </button>
        </div>
      </form>
    </SettingsCard>
  );
}
