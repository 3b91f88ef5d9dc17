import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useRef } from 'react';
import type { ChatItem } from './chat-items';
import { MessageRow } from './message-row';

/** How close to the bottom (px) still counts as "at the bottom", so a streaming answer keeps being followed. */
const STICK_THRESHOLD_PX = 48;

/**
 * The conversation, virtualised: only the rows in view (plus a few) are in the DOM, each measured after it
 * renders, so a conversation of thousands of messages scrolls smoothly. While the user is at the bottom the
 * list follows new text; scrolling up to read stops that until they come back down.
 */
export function MessageList({ items, conversationKey }: { items: ChatItem[]; conversationKey: string }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (items[index]?.kind === 'prompt' ? 72 : 180),
    getItemKey: (index) => items[index]?.id ?? index,
    overscan: 6,
    paddingStart: 14,
    paddingEnd: 8,
    // React 19 warns about flushSync inside its own render; plain state updates are enough here.
    useFlushSync: false,
  });
  const totalSize = virtualizer.getTotalSize();
  const last = items.at(-1);
  const lastLength = last?.kind === 'answer' ? last.answer.text.length : 0;

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (el) stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD_PX;
  }, []);

  // A newly opened conversation starts at its end.
  useLayoutEffect(() => {
    stickToBottom.current = true;
  }, [conversationKey]);

  // The user's own new prompt always brings the list down (runs only when rows are added or removed).
  const count = items.length;
  useLayoutEffect(() => {
    if (items.at(-2)?.kind === 'prompt') stickToBottom.current = true;
  }, [count]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight;
  }, [totalSize, lastLength, count, conversationKey]);

  return (
    <div ref={scrollRef} className="message-list" onScroll={onScroll} data-testid="message-list">
      <div className="message-list-inner" style={{ height: totalSize }}>
        {virtualizer.getVirtualItems().map((row) => {
          const item = items[row.index];
          if (!item) return null;
          return (
            <div key={row.key} data-index={row.index} ref={virtualizer.measureElement} className="message-list-row" style={{ transform: `translateY(${row.start}px)` }}>
              <MessageRow item={item} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
