import { useEffect, useState } from 'react';
import type { AppStores } from './app/app-stores';
import { NavBar, type AppPage } from './app/nav-bar';
import { StoresProvider } from './app/stores-context';
import { ChatView } from './features/chat/chat-view';
import { CompareView } from './features/compare/compare-view';
import { DatasetsView } from './features/datasets/datasets-view';
import { DeploymentsView } from './features/deployments/deployments-view';
import { EvaluationView } from './features/evaluation/evaluation-view';
import { LeaderboardView } from './features/leaderboard/leaderboard-view';
import { ReviewView } from './features/review/review-view';
import { SettingsView } from './features/settings/settings-view';
import { StatusBar } from './features/status/status-bar';
import { TrainingView } from './features/training/training-view';
import './app/app.css';

/** The shell: navigation on the left, the page in the middle, the tiers' status along the bottom. */
export function App({ stores }: { stores: AppStores }) {
  const [page, setPage] = useState<AppPage>('chat');

  // Chat needs the flags (which tiers, whether OpenAI) before Settings is ever opened.
  useEffect(() => {
    void stores.settings.getState().load();
  }, [stores]);

  // Who is signed in decides what every page shows, so the team view is followed from the start.
  useEffect(() => stores.team.getState().follow(), [stores]);

  return (
    <StoresProvider stores={stores}>
      <div className="app-shell">
        <NavBar page={page} onNavigate={setPage} />
        <main className="app-main">
          {page === 'chat' && <ChatView />}
          {page === 'compare' && <CompareView />}
          {page === 'review' && <ReviewView />}
          {page === 'leaderboard' && <LeaderboardView />}
          {page === 'datasets' && <DatasetsView />}
          {page === 'training' && <TrainingView />}
          {page === 'evaluation' && <EvaluationView />}
          {page === 'deployments' && <DeploymentsView />}
          {page === 'settings' && <SettingsView />}
        </main>
        <StatusBar />
      </div>
    </StoresProvider>
  );
}
