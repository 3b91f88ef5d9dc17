import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useChat } from '../../app/store-hooks';
import { SignedOutNotice } from '../team/signed-out-notice';
import { Composer } from './composer';
import { ConversationList } from './conversation-list';
import { MessageList } from './message-list';
import './chat.css';

/** Chat: the conversation list on the left, the open conversation and the composer on the right. */
export function ChatView() {
  const { items, conversationId, loading, transcriptError, streaming, stop, loadConversations } = useChat(
    useShallow((state) => ({
      items: state.items,
      conversationId: state.conversationId,
      loading: state.loadingTranscript,
      transcriptError: state.transcriptError,
      streaming: state.streaming !== null,
      stop: state.stop,
      loadConversations: state.loadConversations,
    })),
  );

  useEffect(() => {
    void loadConversations();
  }, [loadConversations]);

  // Escape stops the answer wherever the focus is, not only in the composer.
  useEffect(() => {
    if (!streaming) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') stop();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [streaming, stop]);

  return (
    <div className="chat-view">
      <ConversationList />
      <section className="chat-panel" aria-label="Conversation">
        <SignedOutNotice work="conversations and feedback" />
        {transcriptError && (
          <p className="inline-error chat-panel-error" role="alert">
            Could not open the conversation: {transcriptError}
          </p>
        )}
        {items.length === 0 ? (
          <div className="chat-empty">
            {loading ? (
              <p>Opening the conversation…</p>
            ) : (
              <>
                <h2>Ask the tiers</h2>
                <p>Auto lets the model selector route your question to Base, Company or Abstraction, and says why.</p>
              </>
            )}
          </div>
        ) : (
          <MessageList items={items} conversationKey={conversationId ?? 'new'} />
        )}
        <Composer />
      </section>
    </div>
  );
}
