import { useState, type FormEvent } from 'react';
import type { Tier } from '../../../src-shared/domain';
import type { SpaceSettings } from '../../../src-shared/ipc-contract';
import { useSettings } from '../../app/store-hooks';
import { TIER_LABELS } from '../../common/tier-labels';
import { SaveOutcome } from './settings-card';

/** One tier's Hugging Face Space: its name, endpoint, model version, and whether it serves the tier. */
export function SpaceForm({ tier, space }: { tier: Tier; space: SpaceSettings | undefined }) {
  const saveSpace = useSettings((state) => state.saveSpace);
  const busy = useSettings((state) => state.saving === `space.${tier}`);
  const [spaceName, setSpaceName] = useState(space?.spaceName ?? '');
  const [apiEndpoint, setApiEndpoint] = useState(space?.apiEndpoint ?? '');
  const [modelVersion, setModelVersion] = useState(space?.modelVersion ?? '');
  const [isActive, setIsActive] = useState(space?.isActive ?? true);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void saveSpace({ tier, spaceName: spaceName.trim(), apiEndpoint: apiEndpoint.trim(), modelVersion: modelVersion.trim() || null, isActive });
  };

  return (
    <form className="space-form" onSubmit={submit} aria-label={`${TIER_LABELS[tier]} Space`}>
      <h3 className={`tier-tag tier-${tier}`}>{TIER_LABELS[tier]}</h3>
      <label>
        <span className="field-label">Space name</span>
        <input value={spaceName} onChange={(e) => setSpaceName(e.target.value)} placeholder={`org/triad-${tier}`} required />
      </label>
      <label>
        <span className="field-label">Endpoint</span>
        <input type="url" value={apiEndpoint} onChange={(e) => setApiEndpoint(e.target.value)} placeholder={`https://org-triad-${tier}.hf.space`} required />
      </label>
      <label>
        <span className="field-label">Model version</span>
        <input value={modelVersion} onChange={(e) => setModelVersion(e.target.value)} placeholder="optional, e.g. 2026-01-15" />
      </label>
      <div className="space-form-footer">
        <label className="checkbox">
          <input type="checkbox" checked={isActive} onChange={(e) => setIsActive(e.target.checked)} /> Active
        </label>
        <button type="submit" className="button button-primary" disabled={busy}>
          Save Space
        </button>
      </div>
      <SaveOutcome section={`space.${tier}`} />
    </form>
  );
}
