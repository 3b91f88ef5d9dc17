import { useShallow } from 'zustand/react/shallow';
import { useChat } from '../../app/store-hooks';
import { PlusIcon } from '../../common/icons';

const when = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** The user's conversations, newest first; a click reopens one with its answers and feedback. */
export function ConversationList() {
  const { conversations, listError, activeId, open, startNew } = useChat(
    useShallow((state) => ({
      conversations: state.conversations,
      listError: state.listError,
      activeId: state.conversationId,
      open: state.openConversation,
      startNew: state.newConversation,
    })),
  );
  return (
    <aside className="conversation-list" aria-label="Conversations">
      <div className="conversation-list-header">
        <h2>Conversations</h2>
        <button type="button" className="button button-small" onClick={startNew}>
          <PlusIcon /> New
        </button>
      </div>
      {listError && (
        <p className="inline-error" role="alert">
          {listError}
        </p>
      )}
      {conversations.length === 0 && !listError && <p className="conversation-list-empty">No conversations yet.</p>}
      <ul>
        {conversations.map((conversation) => (
          <li key={conversation.id}>
            <button
              type="button"
              className={conversation.id === activeId ? 'conversation-item is-active' : 'conversation-item'}
              aria-current={conversation.id === activeId ? 'true' : undefined}
              onClick={() => void open(conversation.id)}
              title={conversation.title}
            >
              <span className="conversation-title">{conversation.title || 'Untitled'}</span>
              <span className="conversation-meta">
                {conversation.company && <span className="conversation-company">{conversation.company}</span>}
                {when.format(new Date(conversation.updatedAt))}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
