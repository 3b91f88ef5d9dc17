import type { TriadClient } from '../transport/triad-client';
import { createChatStore, type ChatStore } from '../features/chat/chat-store';
import { createCompareStore, type CompareStore } from '../features/compare/compare-store';
import { createDatasetsStore, type DatasetsStore } from '../features/datasets/datasets-store';
import { createDeploymentsStore, type DeploymentsStore } from '../features/deployments/deployments-store';
import { createEvaluationStore, type EvaluationStore } from '../features/evaluation/evaluation-store';
import { createFeedbackStore, type FeedbackStore } from '../features/feedback/feedback-store';
import { createLeaderboardStore, type LeaderboardStore } from '../features/leaderboard/leaderboard-store';
import { createRouterStore, type RouterStore } from '../features/settings/router-store';
import { createReviewStore, type ReviewStore } from '../features/review/review-store';
import { createSettingsStore, type SettingsStore } from '../features/settings/settings-store';
import { createStatusStore, type StatusStore } from '../features/status/status-store';
import { createTeamStore, type TeamStore } from '../features/team/team-store';
import { createTrainingStore, type TrainingStore } from '../features/training/training-store';
import { StreamPartRouter } from './stream-part-router';

/** Every feature's store slice, built once over one client. */
export interface AppStores {
  chat: ChatStore;
  compare: CompareStore;
  datasets: DatasetsStore;
  deployments: DeploymentsStore;
  evaluation: EvaluationStore;
  feedback: FeedbackStore;
  leaderboard: LeaderboardStore;
  review: ReviewStore;
  router: RouterStore;
  settings: SettingsStore;
  status: StatusStore;
  team: TeamStore;
  training: TrainingStore;
  dispose(): void;
}

/** The renderer's composition root: the client is injected, so tests and both transports wire the same way. */
export function createAppStores(client: TriadClient): AppStores {
  const streams = new StreamPartRouter(client);
  const feedback = createFeedbackStore(client);
  const status = createStatusStore(client);
  const chat = createChatStore({ client, streams, feedback });
  const compare = createCompareStore({ client, streams });
  const leaderboard = createLeaderboardStore(client);
  const router = createRouterStore(client);
  const review = createReviewStore(client);
  const datasets = createDatasetsStore(client);
  const training = createTrainingStore(client);
  const deployments = createDeploymentsStore(client);
  const evaluation = createEvaluationStore(client);
  // A flag change alters the status bar (provider, disabled tiers) but the main process announces no event for it.
  const settings = createSettingsStore(client, { onFlagsChanged: () => void status.getState().refresh() });
  // Conversations, comparisons and settings belong to the operator: another one (or nobody) sees their own.
  const team = createTeamStore(client, {
    onOperatorChanged: () => {
      compare.getState().clear();
      // Another operator reviews other answers; a Review page never opened loads when it is.
      if (review.getState().total !== null) void review.getState().load();
      void chat.getState().reload();
      // Which votes count depends on who reads them (row-level security in team mode).
      if (leaderboard.getState().board !== null) void leaderboard.getState().load();
      void settings.getState().reload();
      // What another operator built is theirs to see (row-level security): the page reads again when opened.
      datasets.getState().reset();
      // Who may launch changes with the operator; the page reads again when opened.
      training.getState().reset();
      // Who may deploy changes with the operator, and a team's history is the team's: read again when opened.
      deployments.getState().reset();
      // Who may evaluate and judge changes with the operator; the page reads again when opened.
      evaluation.getState().reset();
      void status.getState().refresh();
    },
  });
  return { chat, compare, datasets, deployments, evaluation, feedback, leaderboard, review, router, settings, status, team, training, dispose: () => streams.dispose() };
}
