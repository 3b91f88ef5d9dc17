import type { Tier } from '../../../src-shared/domain';
import type { SpaceConfig, SpaceConfigRepository } from '../repositories';
import type { SqlExecutor } from '../sql-executor';
import { withStoreErrors } from '../store-errors';
import { requireUuid } from '../values';
import { SPACE_COLUMNS, toSpace } from '../rows';

/** Spaces configured for the tiers, in the seed table `hf_spaces_config`. */
export class SqlSpaceConfigRepository implements SpaceConfigRepository {
  constructor(private readonly db: SqlExecutor) {}

  async activeSpaceFor(tier: Tier): Promise<SpaceConfig | undefined> {
    const rows = await withStoreErrors(`reading the active Space for tier '${tier}'`, () =>
      this.db.query(
        `SELECT ${SPACE_COLUMNS} FROM hf_spaces_config
          WHERE space_type = $1 AND is_active
          ORDER BY updated_at DESC NULLS LAST, created_at DESC NULLS LAST, id
          LIMIT 1`,
        [tier],
      ),
    );
    return rows[0] && toSpace(rows[0]);
  }

  async list(): Promise<SpaceConfig[]> {
    const rows = await withStoreErrors('listing Spaces', () =>
      this.db.query(`SELECT ${SPACE_COLUMNS} FROM hf_spaces_config ORDER BY space_type, space_name, id`),
    );
    return rows.map(toSpace);
  }

  /** Creates the Space, or replaces every field of the one with `space.id`. */
  async upsert(space: Omit<SpaceConfig, 'id'> & { id?: string }): Promise<SpaceConfig> {
    if (space.id !== undefined) requireUuid(space.id, 'Space id');
    const rows = await withStoreErrors(`saving Space '${space.spaceName}'`, () =>
      this.db.query(
        `INSERT INTO hf_spaces_config (id, space_name, space_type, api_endpoint, is_active, model_version)
         VALUES (COALESCE($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET
           space_name = EXCLUDED.space_name, space_type = EXCLUDED.space_type, api_endpoint = EXCLUDED.api_endpoint,
           is_active = EXCLUDED.is_active, model_version = EXCLUDED.model_version, updated_at = now()
         RETURNING ${SPACE_COLUMNS}`,
        [space.id ?? null, space.spaceName, space.spaceType, space.apiEndpoint, space.isActive, space.modelVersion],
      ),
    );
    return toSpace(rows[0]!);
  }
}
