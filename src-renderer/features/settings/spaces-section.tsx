import { TIERS } from '../../../src-shared/domain';
import type { SpaceSettings } from '../../../src-shared/ipc-contract';
import { SettingsCard } from './settings-card';
import { SpaceForm } from './space-form';

/** The Hugging Face Space behind each tier, used when the provider flag is `huggingface`. */
export function SpacesSection({ spaces }: { spaces: SpaceSettings[] }) {
  return (
    <SettingsCard title="Hugging Face Spaces" description="Each tier's Space, used when the provider is Hugging Face. Plain http is accepted only on this computer.">
      <div className="spaces-grid">
        {TIERS.map((tier) => {
          const space = spaces.find((s) => s.tier === tier);
          // Keyed by the saved values, so the form shows what the main process stored after a save.
          return <SpaceForm key={`${tier}:${space?.spaceName}:${space?.apiEndpoint}:${space?.modelVersion}:${space?.isActive}`} tier={tier} space={space} />;
        })}
      </div>
    </SettingsCard>
  );
}
