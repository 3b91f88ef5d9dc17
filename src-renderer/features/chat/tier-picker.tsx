import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { TIERS } from '../../../src-shared/domain';
import { useChat, useSettings } from '../../app/store-hooks';
import { TIER_DESCRIPTIONS, TIER_LABELS } from '../../common/tier-labels';
import type { TierPick } from '../../common/tier-pick';
import { booleanFlag } from '../settings/settings-store';

interface PickOption {
  pick: TierPick;
  label: string;
  title: string;
  disabled: boolean;
}

/** Auto, the three tiers, and OpenAI when its flag is on; a tier turned off in Settings cannot be picked. */
export function TierPicker() {
  const { pick, setPick } = useChat(useShallow((state) => ({ pick: state.pick, setPick: state.setPick })));
  const view = useSettings((state) => state.view);
  const options: PickOption[] = [
    { pick: 'auto', label: 'Auto', title: 'Let the model selector choose the tier', disabled: false },
    ...TIERS.map((tier) => {
      const on = booleanFlag(view, `tier.${tier}.enabled`, true);
      return { pick: tier, label: TIER_LABELS[tier], title: on ? TIER_DESCRIPTIONS[tier] : `Turned off in Settings (tier.${tier}.enabled)`, disabled: !on };
    }),
  ];
  if (booleanFlag(view, 'openai.enabled', false)) {
    options.push({ pick: 'openai', label: 'OpenAI', title: 'OpenAI, with the tier chosen automatically', disabled: false });
  }
  const current = options.find((option) => option.pick === pick && !option.disabled) ? pick : 'auto';

  // A pick that Settings has since turned off falls back to Auto, so the next send is not refused for it.
  useEffect(() => {
    if (current !== pick) setPick(current);
  }, [current, pick, setPick]);

  return (
    <div className="segmented" role="radiogroup" aria-label="Tier">
      {options.map((option) => (
        <button
          key={option.pick}
          type="button"
          role="radio"
          aria-checked={current === option.pick}
          className={current === option.pick ? 'segment is-selected' : 'segment'}
          title={option.title}
          disabled={option.disabled}
          onClick={() => setPick(option.pick)}
        >
          {option.label}
        </button>
      ))}
    </div>
  );
}
