import { useTeam } from '../../app/store-hooks';
import { describeSync } from '../team/sync-description';

/** The team sync state on the status bar (nothing in embedded mode); the details are on hover. */
export function SyncIndicator() {
  const sync = useTeam((state) => state.view?.sync);
  const described = sync ? describeSync(sync) : null;
  if (!described) return null;
  return (
    <span className={`status-sync is-${described.tone}`} title={described.detail} data-testid="status-sync">
      <span className="status-dot" aria-hidden="true" />
      {described.label}
    </span>
  );
}
