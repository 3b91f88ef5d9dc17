import type { RouteNotice } from './answer-state';

const EVENT_LABELS: Record<RouteNotice['event'], string> = {
  retrying: 'Retrying',
  'falling-back': 'Falling back',
  waiting: 'Waiting',
  continued: 'Continued',
};

/** What happened on the way to the answer (retries, fallbacks, a Space waking up), so a slow answer explains itself. */
export function RouteNotices({ notices }: { notices: RouteNotice[] }) {
  if (notices.length === 0) return null;
  return (
    <ul className="route-notices" aria-label="Routing events" data-testid="route-notices">
      {notices.map((notice, index) => (
        <li key={index} className={`route-notice is-${notice.event}`}>
          <strong>{EVENT_LABELS[notice.event]}</strong> {notice.message}
        </li>
      ))}
    </ul>
  );
}
