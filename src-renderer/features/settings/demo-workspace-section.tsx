import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SettingsView } from '../../../src-shared/ipc-contract';
import { useSettings } from '../../app/store-hooks';
import { SettingsCard } from './settings-card';
import './demo-workspace.css';

const plural = (count: number, one: string, many: string) => `${count.toLocaleString('en')} ${count === 1 ? one : many}`;

/** "A, B and C". */
function listOf(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * The demo data a fresh install starts with, so that every tier answers at once, and its removal (after a
 * confirmation). Shown while there is a demo, and once more to say it was removed.
 */
export function DemoWorkspaceSection({ demoWorkspace }: Pick<SettingsView, 'demoWorkspace'>) {
  const { remove, removing, error, removedAt } = useSettings(
    useShallow((state) => ({
      remove: state.removeDemoWorkspace,
      removing: state.saving === 'demoWorkspace',
      error: state.errors.demoWorkspace,
      removedAt: state.savedAt.demoWorkspace,
    })),
  );
  const [confirming, setConfirming] = useState(false);

  if (!demoWorkspace) {
    if (!removedAt) return null;
    return (
      <SettingsCard title="Demo workspace">
        <p className="save-outcome is-saved" role="status">
          Demo workspace removed: its companies, their knowledge and its insights are gone. Your own data is untouched.
        </p>
      </SettingsCard>
    );
  }

  const names = demoWorkspace.companies.map((company) => company.name);
  return (
    <SettingsCard title="Demo workspace" description="Sample data Triad started with, so that Company and Abstraction have something to answer from.">
      <p className="demo-workspace-contents" data-testid="demo-workspace-contents">
        <span className="demo-badge">demo data</span>{' '}
        {names.length > 0 ? `${plural(names.length, 'sample company', 'sample companies')} (${listOf(names)}) with ${plural(demoWorkspace.knowledgeSnippets, 'knowledge snippet', 'knowledge snippets')}, and ` : ''}
        {plural(demoWorkspace.insights, 'anonymised cross-company insight', 'anonymised cross-company insights')}.
      </p>
      <p className="muted demo-workspace-scope">
        Removing it deletes only these, and sets the company context to none if it is a demo company. Your own companies stay; conversations
        about a demo company keep their messages.
      </p>
      {confirming ? (
        <div className="form-actions" role="group" aria-label="Confirm removal">
          <span>Delete the demo companies and insights? This cannot be undone.</span>
          <button type="button" className="button" disabled={removing} onClick={() => setConfirming(false)}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={removing}
            onClick={() => {
              void remove().then((removed) => removed && setConfirming(false));
            }}
          >
            {removing ? 'Removing…' : 'Remove'}
          </button>
        </div>
      ) : (
        <div className="form-actions">
          <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
            Remove demo workspace…
          </button>
        </div>
      )}
      {error && (
        <p className="inline-error" role="alert">
          Not removed: {error}
        </p>
      )}
    </SettingsCard>
  );
}
