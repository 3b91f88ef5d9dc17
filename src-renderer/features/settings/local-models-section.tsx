import { useState, type FormEvent } from 'react';
import type { SettingsView } from '../../../src-shared/ipc-contract';
import { useSettings } from '../../app/store-hooks';
import { SaveOutcome, SettingsCard } from './settings-card';

type LocalModels = SettingsView['localModels'];
type Slot = keyof LocalModels;

const SLOTS: Array<{ slot: Slot; label: string; hint: string }> = [
  { slot: 'base', label: 'Base', hint: 'GGUF for the Base tier' },
  { slot: 'company', label: 'Company', hint: 'GGUF for the Company tier' },
  { slot: 'abstraction', label: 'Abstraction', hint: 'GGUF for the Abstraction tier' },
  { slot: 'fast', label: 'Fast', hint: "A smaller GGUF a 'fast' request may use" },
];

/** The GGUF file each tier runs on locally; empty means TRIAD_MODEL_PATH or the default model. */
export function LocalModelsSection({ localModels }: { localModels: LocalModels }) {
  const save = useSettings((state) => state.saveLocalModels);
  const busy = useSettings((state) => state.saving === 'localModels');
  const [paths, setPaths] = useState<Record<Slot, string>>({
    base: localModels.base ?? '',
    company: localModels.company ?? '',
    abstraction: localModels.abstraction ?? '',
    fast: localModels.fast ?? '',
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const chosen = Object.fromEntries(Object.entries(paths).flatMap(([slot, path]) => (path.trim() ? [[slot, path.trim()]] : [])));
    void save(chosen);
  };
  return (
    <SettingsCard title="Local models" description="A model file (GGUF) on this computer per tier. Leave empty for TRIAD_MODEL_PATH or the default model.">
      <form className="stacked-form" onSubmit={submit}>
        {SLOTS.map(({ slot, label, hint }) => (
          <label key={slot} className="field-row">
            <span className="field-label">{label}</span>
            <input value={paths[slot]} onChange={(e) => setPaths({ ...paths, [slot]: e.target.value })} placeholder="/path/to/model.gguf" spellCheck={false} title={hint} />
          </label>
        ))}
        <div className="form-actions">
          <SaveOutcome section="localModels" />
          <button type="submit" className="button button-primary" disabled={busy}>
            Save local models
          </button>
        </div>
      </form>
    </SettingsCard>
  );
}
