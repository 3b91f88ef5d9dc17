import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useSettings } from '../../app/store-hooks';
import { TeamSection } from '../team/team-section';
import { ApiKeysSection } from './api-keys-section';
import { CompanyContextSection } from './company-context-section';
import { ContentFilterSection } from './content-filter-section';
import { DemoWorkspaceSection } from './demo-workspace-section';
import { FlagsSection } from './flags-section';
import { LocalModelsSection } from './local-models-section';
import { OpenAiSection } from './openai-section';
import { RouterSection } from './router-section';
import { SpacesSection } from './spaces-section';
import './settings.css';

/** Why the rest of Settings is not shown: still loading, or the main process's error. */
function SettingsUnavailable({ loadError }: { loadError: string | null }) {
  if (!loadError) return <p className="muted">Loading settings…</p>;
  return (
    <p className="inline-error" role="alert">
      Could not read the settings: {loadError}
    </p>
  );
}

/** Settings: the team connection, company context and demo workspace, keys, flags, Spaces, local models and the content filter. */
export function SettingsView() {
  const { view, loadError, load } = useSettings(useShallow((state) => ({ view: state.view, loadError: state.loadError, load: state.load })));

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="settings-view">
      <header className="settings-header">
        <h1>Settings</h1>
        {view && (
          <p className="muted">
            Signed in as {view.user.displayName} ({view.user.role.replace('_', ' ')})
          </p>
        )}
      </header>
      {/* Always shown: with a team project and nobody signed in, it is the only way to sign in. */}
      <TeamSection />
      {view ? (
        <>
          <CompanyContextSection companies={view.companies} companyContext={view.companyContext} demoWorkspace={view.demoWorkspace} />
          <DemoWorkspaceSection demoWorkspace={view.demoWorkspace} />
          <FlagsSection flags={view.flags} />
          <RouterSection />
          <ApiKeysSection secrets={view.secrets} />
          <SpacesSection spaces={view.spaces} />
          <div className="settings-pair">
            <LocalModelsSection localModels={view.localModels} />
            <OpenAiSection openai={view.openai} />
          </div>
          <ContentFilterSection contentFilter={view.contentFilter} />
        </>
      ) : (
        <SettingsUnavailable loadError={loadError} />
      )}
    </div>
  );
}
