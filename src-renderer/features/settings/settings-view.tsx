import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useSettings } from '../../app/store-hooks';
import { ApiKeysSection } from './api-keys-section';
import { CompanyContextSection } from './company-context-section';
import { ContentFilterSection } from './content-filter-section';
import { FlagsSection } from './flags-section';
import { LocalModelsSection } from './local-models-section';
import { OpenAiSection } from './openai-section';
import { SpacesSection } from './spaces-section';
import './settings.css';

/** Settings: keys, flags, Spaces, local models, company context and the content filter. */
export function SettingsView() {
  const { view, loadError, load } = useSettings(useShallow((state) => ({ view: state.view, loadError: state.loadError, load: state.load })));

  useEffect(() => {
    void load();
  }, [load]);

  if (!view) {
    return (
      <div className="settings-view">
        {loadError ? (
          <p className="inline-error" role="alert">
            Could not read the settings: {loadError}
          </p>
        ) : (
          <p className="muted">Loading settings…</p>
        )}
      </div>
    );
  }
  return (
    <div className="settings-view">
      <header className="settings-header">
        <h1>Settings</h1>
        <p className="muted">
          Signed in as {view.user.displayName} ({view.user.role.replace('_', ' ')})
        </p>
      </header>
      <CompanyContextSection companies={view.companies} companyContext={view.companyContext} />
      <FlagsSection flags={view.flags} />
      <ApiKeysSection secrets={view.secrets} />
      <SpacesSection spaces={view.spaces} />
      <div className="settings-pair">
        <LocalModelsSection localModels={view.localModels} />
        <OpenAiSection openai={view.openai} />
      </div>
      <ContentFilterSection contentFilter={view.contentFilter} />
    </div>
  );
}
