import { useTeam } from '../../app/store-hooks';
import './team.css';

/**
 * Shown where work happens while a team project is chosen but nobody is signed in: the app then works on this
 * computer's embedded database as its local operator, and nothing reaches the team.
 */
export function SignedOutNotice({ work }: { work: string }) {
  const signedOut = useTeam((state) => state.view?.sync.state === 'signed-out');
  if (!signedOut) return null;
  return (
    <p className="notice team-notice" role="status" data-testid="signed-out-notice">
      Not signed in to the team project: {work} stay on this computer. Sign in under Settings → Team to share them with the team.
    </p>
  );
}
