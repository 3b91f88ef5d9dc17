import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useSettings } from '../../app/store-hooks';
import type { SettingsSection } from './settings-store';

/** A section's save outcome: the main process's error when it refused, else a short "Saved". */
export function SaveOutcome({ section }: { section: SettingsSection }) {
  const { error, savedAt, saving } = useSettings(
    useShallow((state) => ({ error: state.errors[section], savedAt: state.savedAt[section], saving: state.saving === section })),
  );
  if (saving) return <span className="save-outcome">Saving…</span>;
  if (error) {
    return (
      <p className="inline-error" role="alert">
        Not saved: {error}
      </p>
    );
  }
  return savedAt ? (
    <span className="save-outcome is-saved" role="status">
      Saved
    </span>
  ) : null;
}

/** One titled card of the Settings page. */
export function SettingsCard({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <section className="settings-card" aria-label={title}>
      <header>
        <h2>{title}</h2>
        {description && <p>{description}</p>}
      </header>
      {children}
    </section>
  );
}
