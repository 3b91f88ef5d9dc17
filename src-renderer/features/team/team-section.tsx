import { useShallow } from 'zustand/react/shallow';
import { useTeam } from '../../app/store-hooks';
import { SettingsCard } from '../settings/settings-card';
import { ConnectionForm } from './connection-form';
import { OperatorPanel } from './operator-panel';
import './team.css';

/** Settings → Team: where the data lives (this computer or a Supabase project) and who is signed in. */
export function TeamSection() {
  const { view, loadError } = useTeam(useShallow((state) => ({ view: state.view, loadError: state.loadError })));
  return (
    <SettingsCard title="Team" description="Keep Triad's data on this computer, or share it with your team through a Supabase project.">
      {view ? (
        <>
          {/* Keyed by what is saved, so the form shows the main process's values after a change. */}
          <ConnectionForm key={`${view.connection.mode} ${view.connection.url ?? ''}`} connection={view.connection} />
          {view.connection.mode === 'supabase' && <OperatorPanel session={view.session} sync={view.sync} />}
        </>
      ) : loadError ? (
        <p className="inline-error" role="alert">
          Could not read the team settings: {loadError}
        </p>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </SettingsCard>
  );
}
