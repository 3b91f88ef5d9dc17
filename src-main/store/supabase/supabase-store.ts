import type { SupabaseClient } from '@supabase/supabase-js';
import { ROLES, type Role } from '../../../src-shared/domain';
import { TriadError } from '../../../src-shared/errors';
import type { TriadStore } from '../repositories';
import { SupabaseConversationRepository } from './conversation-repository';
import { SupabaseDirectoryRepository } from './directory-repository';
import { SupabaseFeedbackRepository } from './feedback-repository';
import { SupabaseFeatureFlagRepository, SupabaseSettingsRepository } from './key-value-repositories';
import { SupabaseKnowledgeRepository } from './knowledge-repository';
import { SupabaseDatasetRepository } from './dataset-repository';
import { SupabaseModelRegistryRepository } from './model-registry-repository';
import { OperatorApi } from './operator-api';
import { requireSafeProjectUrl } from './operator-client';
import { SupabasePreferenceRepository } from './preference-repository';
import { SupabaseRequestLogRepository } from './request-log-repository';
import { SupabaseReviewRepository } from './review-repository';
import { SupabaseSpaceConfigRepository } from './space-config-repository';
import { SupabaseSyncWrites } from './sync-writes';
import { SupabaseTrainingRunRepository } from './training-run-repository';
import { SupabaseTierRouterRepository } from './tier-router-repository';
import { SupabaseEvaluationRepository } from './evaluation-repository';

/**
 * The version of the API functions (migrations/009, 010) this adapter is written against (triad_session's
 * api_version): 10 adds triad_sync_feedback, which the offline outbox replays feedback with; 11 the review functions;
 * 13 triad_list_votes, the leaderboard's read; 14 triad_create_evaluation_run; 15 triad_router_sources, the tier router's training read; 16 hf_deployments.installation_id.
 */
export const REQUIRED_API_VERSION = 16;

/** A Supabase store, with the idempotent writes a team store's outbox replays. */
export interface SupabaseStore extends TriadStore {
  readonly sync: SupabaseSyncWrites;
  /** The operator the store acts for, as triad_session() answered when it was opened. */
  readonly operator: { userId: string; role: Role | null };
}

/** What triad_session() answers. */
interface SessionInfo {
  api_version: number;
  user_id: string | null;
  role: string | null;
}

/**
 * Every repository through a Supabase project's REST API, as the operator signed in on `client`. Opening
 * checks, in one call, that the project is reachable, that an admin applied migrations/ (the app never
 * migrates a shared project) and that someone is signed in. Row-level security decides what the operator
 * sees and may write; the store serves that one operator: after signing in as someone else, open another.
 * Closing the store leaves the client and its session alone: signing out is the caller's.
 */
export async function openSupabaseStore(config: { url: string; client: SupabaseClient }): Promise<SupabaseStore> {
  const url = requireSafeProjectUrl(config.url).origin;
  const probe = new OperatorApi(config.client, url, { userId: '', role: null });
  const session = await probe.run<SessionInfo>('opening the team store', config.client.rpc('triad_session'));
  if (session.api_version < REQUIRED_API_VERSION) {
    throw new TriadError({
      code: 'store_unavailable',
      message: `opening the team store: Supabase at ${url} has Triad's functions of version ${session.api_version}, this app needs ${REQUIRED_API_VERSION}: an admin must apply the newer migrations/ (docs/team-mode.md)`,
    });
  }
  if (!session.user_id) throw new TriadError({ code: 'unauthorized', message: `opening the team store: not signed in to Supabase at ${url}` });
  const role = ROLES.includes(session.role as Role) ? (session.role as Role) : null;
  const api = new OperatorApi(config.client, url, { userId: session.user_id, role });
  return {
    directory: new SupabaseDirectoryRepository(api),
    flags: new SupabaseFeatureFlagRepository(api),
    settings: new SupabaseSettingsRepository(api),
    spaces: new SupabaseSpaceConfigRepository(api),
    registry: new SupabaseModelRegistryRepository(api),
    requests: new SupabaseRequestLogRepository(api),
    conversations: new SupabaseConversationRepository(api),
    feedback: new SupabaseFeedbackRepository(api),
    preferences: new SupabasePreferenceRepository(api),
    knowledge: new SupabaseKnowledgeRepository(api),
    datasets: new SupabaseDatasetRepository(api),
    review: new SupabaseReviewRepository(api),
    trainingRuns: new SupabaseTrainingRunRepository(api),
    routers: new SupabaseTierRouterRepository(api),
    evaluations: new SupabaseEvaluationRepository(api),
    sync: new SupabaseSyncWrites(api),
    operator: { userId: session.user_id, role },
    backend: 'supabase',
    close: async () => api.close(),
  };
}
