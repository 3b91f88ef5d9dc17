import { PROVIDERS, type Provider } from '../../../src-shared/domain';
import type { SettingsView } from '../../../src-shared/ipc-contract';
import { useSettings } from '../../app/store-hooks';
import { PROVIDER_LABELS } from '../../common/tier-labels';
import { SaveOutcome, SettingsCard } from './settings-card';

type Flag = SettingsView['flags'][number];

const FLAG_LABELS: Record<string, string> = {
  provider: 'Provider',
  'openai.enabled': 'OpenAI allowed',
  'tier.base.enabled': 'Base tier',
  'tier.company.enabled': 'Company tier',
  'tier.abstraction.enabled': 'Abstraction tier',
};

/** Where a flag's value comes from; an environment variable wins and cannot be changed here. */
function FlagSource({ flag }: { flag: Flag }) {
  if (flag.source === 'environment') return <span className="flag-source is-environment">set by {flag.envVar}</span>;
  return <span className="flag-source">{flag.source === 'database' ? 'saved' : 'default'}</span>;
}

function FlagRow({ flag }: { flag: Flag }) {
  const setFlag = useSettings((state) => state.setFlag);
  const busy = useSettings((state) => state.saving === 'flags');
  const locked = flag.source === 'environment';
  const id = `flag-${flag.key}`;
  return (
    <div className="flag-row" title={locked ? `Overridden by the environment variable ${flag.envVar}` : flag.description}>
      <label htmlFor={id} className="flag-label">
        <span className="field-label">{FLAG_LABELS[flag.key] ?? flag.key}</span>
        <span className="field-hint">{flag.description}</span>
      </label>
      <div className="flag-control">
        {typeof flag.value === 'boolean' ? (
          <input
            id={id}
            type="checkbox"
            role="switch"
            className="switch"
            checked={flag.value}
            disabled={locked || busy}
            onChange={(event) => void setFlag({ key: flag.key, value: event.target.checked })}
          />
        ) : (
          <select id={id} value={flag.value} disabled={locked || busy} onChange={(event) => void setFlag({ key: flag.key, value: event.target.value as Provider })}>
            {PROVIDERS.map((provider) => (
              <option key={provider} value={provider}>
                {PROVIDER_LABELS[provider]}
              </option>
            ))}
          </select>
        )}
        <FlagSource flag={flag} />
      </div>
    </div>
  );
}

export function FlagsSection({ flags }: { flags: Flag[] }) {
  return (
    <SettingsCard title="Feature flags" description="Read on every request. An environment variable overrides the saved value.">
      {flags.map((flag) => (
        <FlagRow key={flag.key} flag={flag} />
      ))}
      <SaveOutcome section="flags" />
    </SettingsCard>
  );
}
