import type { KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useChat } from '../../app/store-hooks';
import { SendIcon, StopIcon } from '../../common/icons';
import { checkPrompt } from '../../common/prompt-limit';
import { CompanyContextNote } from '../settings/company-context-note';
import { TierPicker } from './tier-picker';

/** Where the prompt is written: Enter sends, Shift+Enter breaks the line; a prompt over the limit is never sent. */
export function Composer() {
  const { draft, setDraft, send, stop, streaming } = useChat(
    useShallow((state) => ({ draft: state.draft, setDraft: state.setDraft, send: state.send, stop: state.stop, streaming: state.streaming !== null })),
  );
  const check = checkPrompt(draft);
  const tooLong = !check.ok && check.reason === 'too-long';

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void send();
  };

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <div className="composer-toolbar">
        <TierPicker />
        <CompanyContextNote />
      </div>
      <textarea
        className={tooLong ? 'composer-input is-invalid' : 'composer-input'}
        aria-label="Message"
        aria-invalid={tooLong}
        placeholder="Ask the tiers…"
        rows={3}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={onKeyDown}
        autoFocus
      />
      {tooLong && (
        <p className="composer-limit" role="alert">
          {check.message} Shorten it to send.
        </p>
      )}
      <div className="composer-footer">
        <span className="composer-hint">Enter to send · Shift+Enter for a new line · Esc to stop</span>
        {streaming ? (
          <button type="button" className="button button-danger" onClick={stop}>
            <StopIcon /> Stop
          </button>
        ) : (
          <button type="submit" className="button button-primary" disabled={!check.ok}>
            <SendIcon /> Send
          </button>
        )}
      </div>
    </form>
  );
}
