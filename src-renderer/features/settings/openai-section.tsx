import { useState, type FormEvent } from 'react';
import type { SettingsView } from '../../../src-shared/ipc-contract';
import { useSettings } from '../../app/store-hooks';
import { SaveOutcome, SettingsCard } from './settings-card';

/** Which OpenAI models serve the tiers when OpenAI is used, and an optional compatible server. */
export function OpenAiSection({ openai }: { openai: SettingsView['openai'] }) {
  const save = useSettings((state) => state.saveOpenAi);
  const busy = useSettings((state) => state.saving === 'openai');
  const [model, setModel] = useState(openai.model);
  const [fastModel, setFastModel] = useState(openai.fastModel);
  const [baseUrl, setBaseUrl] = useState(openai.baseUrl ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save({ model: model.trim(), fastModel: fastModel.trim(), ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}) });
  };
  return (
    <SettingsCard title="OpenAI" description="Used when the provider is OpenAI, or when OpenAI is picked in Chat.">
      <form className="stacked-form" onSubmit={submit}>
        <label className="field-row">
          <span className="field-label">Model</span>
          <input value={model} onChange={(e) => setModel(e.target.value)} required />
        </label>
        <label className="field-row">
          <span className="field-label">Fast model</span>
          <input value={fastModel} onChange={(e) => setFastModel(e.target.value)} required />
        </label>
        <label className="field-row">
          <span className="field-label">Base URL</span>
          <input type="url" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="OpenAI's own when empty" />
        </label>
        <div className="form-actions">
          <SaveOutcome section="openai" />
          <button type="submit" className="button button-primary" disabled={busy}>
            Save OpenAI settings
          </button>
        </div>
      </form>
    </SettingsCard>
  );
}
