import type { KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { TIERS } from '../../../src-shared/domain';
import { useCompare } from '../../app/store-hooks';
import { CompareIcon, StopIcon } from '../../common/icons';
import { checkPrompt } from '../../common/prompt-limit';
import { TIER_DESCRIPTIONS, TIER_LABELS } from '../../common/tier-labels';
import { CompanyContextNote } from '../settings/company-context-note';
import { runStreaming } from './compare-store';

/** The prompt and the two or three tiers it goes to. */
export function CompareForm() {
  const { draft, tiers, streaming, startError, setDraft, toggleTier, start, stop } = useCompare(
    useShallow((state) => ({
      draft: state.draft,
      tiers: state.tiers,
      streaming: runStreaming(state.run),
      startError: state.startError,
      setDraft: state.setDraft,
      toggleTier: state.toggleTier,
      start: state.start,
      stop: state.stop,
    })),
  );
  const check = checkPrompt(draft);
  const tooLong = !check.ok && check.reason === 'too-long';
  const canStart = check.ok && tiers.length >= 2 && !streaming;

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape' && streaming) stop();
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void start();
  };

  return (
    <form
      className="compare-form"
      onSubmit={(event) => {
        event.preventDefault();
        void start();
      }}
    >
      <textarea
        className={tooLong ? 'composer-input is-invalid' : 'composer-input'}
        aria-label="Prompt to compare"
        placeholder="One prompt, answered by each chosen tier side by side…"
        rows={3}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {tooLong && (
        <p className="composer-limit" role="alert">
          {check.message} Shorten it to send.
        </p>
      )}
      <div className="compare-form-footer">
        <fieldset className="tier-choices">
          <legend>Tiers</legend>
          {TIERS.map((tier) => (
            <label key={tier} className={tiers.includes(tier) ? 'tier-choice is-on' : 'tier-choice'} title={TIER_DESCRIPTIONS[tier]}>
              <input type="checkbox" checked={tiers.includes(tier)} onChange={() => toggleTier(tier)} disabled={streaming} />
              {TIER_LABELS[tier]}
            </label>
          ))}
          {tiers.length < 2 && <span className="field-hint">Pick at least two.</span>}
        </fieldset>
        <CompanyContextNote />
        {streaming ? (
          <button type="button" className="button button-danger" onClick={stop}>
            <StopIcon /> Stop
          </button>
        ) : (
          <button type="submit" className="button button-primary" disabled={!canStart}>
            <CompareIcon /> Compare
          </button>
        )}
      </div>
      {startError && (
        <p className="inline-error" role="alert">
          {startError}
        </p>
      )}
    </form>
  );
}
