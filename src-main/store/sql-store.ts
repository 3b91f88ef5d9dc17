import type { TriadStore } from './repositories';
import type { SqlExecutor } from './sql-executor';
import { SqlConversationRepository } from './sql/conversation-repository';
import { SqlDirectoryRepository } from './sql/directory-repository';
import { SqlFeedbackRepository } from './sql/feedback-repository';
import { SqlFeatureFlagRepository, SqlSettingsRepository } from './sql/key-value-repositories';
import { SqlKnowledgeRepository } from './sql/knowledge-repository';
import { SqlDatasetRepository } from './sql/dataset-repository';
import { SqlModelRegistryRepository } from './sql/model-registry-repository';
import { SqlPreferenceRepository } from './sql/preference-repository';
import { SqlRequestLogRepository } from './sql/request-log-repository';
import { SqlReviewRepository } from './sql/review-repository';
import { SqlSpaceConfigRepository } from './sql/space-config-repository';
import { SqlTrainingRunRepository } from './sql/training-run-repository';
import { SqlTierRouterRepository } from './sql/tier-router-repository';
import { SqlEvaluationRepository } from './sql/evaluation-repository';
import type { MessageSearchIndexer } from './sql/message-search-indexer';

/**
 * Every repository implemented in SQL on one executor, for a database already migrated. The same code
 * serves PGlite and PostgreSQL; closing the store stops `searchIndexer` (the embedded store's, which the request
 * log tells when it writes) and closes the executor.
 */
export function createSqlStore(executor: SqlExecutor, backend: TriadStore['backend'] = executor.engine, searchIndexer?: MessageSearchIndexer): TriadStore {
  return {
    directory: new SqlDirectoryRepository(executor),
    flags: new SqlFeatureFlagRepository(executor),
    settings: new SqlSettingsRepository(executor),
    spaces: new SqlSpaceConfigRepository(executor),
    registry: new SqlModelRegistryRepository(executor),
    requests: new SqlRequestLogRepository(executor, searchIndexer && (() => searchIndexer.noteWrite())),
    conversations: new SqlConversationRepository(executor),
    feedback: new SqlFeedbackRepository(executor),
    preferences: new SqlPreferenceRepository(executor),
    knowledge: new SqlKnowledgeRepository(executor),
    datasets: new SqlDatasetRepository(executor),
    review: new SqlReviewRepository(executor),
    trainingRuns: new SqlTrainingRunRepository(executor),
    routers: new SqlTierRouterRepository(executor),
    evaluations: new SqlEvaluationRepository(executor),
    backend,
    close: async () => {
      await searchIndexer?.stop();
      await executor.close();
    },
  };
}
