import type { SupabaseClient } from '@supabase/supabase-js';
import { ROLES, type Role } from '../../../src-shared/domain';
import { TriadError } from '../../../src-shared/errors';
import type { TriadStore } from '../repositories';
import { SupabaseConversationRepository } from './conversation-repository';
import { SupabaseDirectoryRepository } from './directory-repository';
import { SupabaseFeedbackRepository } from './feedback-repository';
import { SupabaseFeatureFlagRepository, SupabaseSettingsRepository } from './key-value-repositories';
import { SupabaseKnowledgeRepository } from './knowledge-repository';
import { SupabaseModelRegistryRepository } from './model-registry-repository';
import { OperatorApi } from './operator-api';
import { requireSafeProjectUrl } from './operator-client';
import { SupabasePreferenceRepository } from './preference-repository';
import { SupabaseRequestLogRepository } from './request-log-repository';
import { SupabaseSpaceConfigRepository } from './space-config-repository';

/** The version of migrations/009's functions this adapter is written against (triad_session's api_version). */
export const REQUIRED_API_VERSION = 9;

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
export async function openSupabaseStore(config: { url: string; client: SupabaseClient }): Promise<TriadStore> {
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
    backend: 'supabase',
    close: async () => api.close(),
  };
}
