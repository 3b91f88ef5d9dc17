import { TIERS, type Tier } from '../../src-shared/domain';
import { TIER_LABELS } from './tier-labels';

/** The labelled tier picker of the ML leads' forms (datasets, training, deployments). */
export function TierField({ value, onChange }: { value: Tier; onChange: (tier: Tier) => void }) {
  return (
    <label>
      <span className="field-label">Tier</span>
      <select aria-label="Tier" value={value} onChange={(e) => onChange(e.target.value as Tier)}>
        {TIERS.map((tier) => (
          <option key={tier} value={tier}>
            {TIER_LABELS[tier]}
          </option>
        ))}
      </select>
    </label>
  );
}
