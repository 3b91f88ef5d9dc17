import type { ComponentType } from 'react';
import { ChatIcon, CompareIcon, DatasetIcon, DeployIcon, EvaluationIcon, LeaderboardIcon, ReviewIcon, SettingsIcon, TrainingIcon } from '../common/icons';
import { useSettings } from './store-hooks';

/** The app's pages. */
export type AppPage = 'chat' | 'compare' | 'review' | 'leaderboard' | 'datasets' | 'training' | 'evaluation' | 'deployments' | 'settings';

const PAGES: Array<{ page: AppPage; label: string; Icon: ComponentType }> = [
  { page: 'chat', label: 'Chat', Icon: ChatIcon },
  { page: 'compare', label: 'Compare', Icon: CompareIcon },
  { page: 'review', label: 'Review', Icon: ReviewIcon },
  { page: 'leaderboard', label: 'Leaderboard', Icon: LeaderboardIcon },
  { page: 'datasets', label: 'Datasets', Icon: DatasetIcon },
  { page: 'training', label: 'Training', Icon: TrainingIcon },
  { page: 'evaluation', label: 'Evaluation', Icon: EvaluationIcon },
  { page: 'deployments', label: 'Deployments', Icon: DeployIcon },
  { page: 'settings', label: 'Settings', Icon: SettingsIcon },
];

export function NavBar({ page, onNavigate }: { page: AppPage; onNavigate: (page: AppPage) => void }) {
  const user = useSettings((state) => state.view?.user);
  return (
    <nav className="nav-bar" aria-label="Main">
      <div className="nav-brand">
        <span className="nav-logo" aria-hidden="true">
          <i />
          <i />
          <i />
        </span>
        Triad
      </div>
      <ul>
        {PAGES.map(({ page: target, label, Icon }) => (
          <li key={target}>
            <button type="button" className={page === target ? 'nav-item is-active' : 'nav-item'} aria-current={page === target ? 'page' : undefined} onClick={() => onNavigate(target)}>
              <Icon />
              {label}
            </button>
          </li>
        ))}
      </ul>
      {user && (
        <div className="nav-user" title={user.role}>
          {user.displayName}
        </div>
      )}
    </nav>
  );
}
