import type { Tier } from '../../../src-shared/domain';
import type { SpaceConfig, SpaceConfigRepository } from '../repositories';
import { requireUuid } from '../values';
import type { ApiRow, OperatorApi } from './operator-api';
import { SPACE_COLUMNS, toSpace } from '../rows';

/** Spaces configured for the tiers (`hf_spaces_config`): every operator reads them, ML leads and admins write them. */
export class SupabaseSpaceConfigRepository implements SpaceConfigRepository {
  constructor(private readonly api: OperatorApi) {}

  async activeSpaceFor(tier: Tier): Promise<SpaceConfig | undefined> {
    const rows = await this.api.run<ApiRow[]>(
      `reading the active Space for tier '${tier}'`,
      this.api.client
        .from('hf_spaces_config')
        .select(SPACE_COLUMNS)
        .eq('space_type', tier)
        .eq('is_active', true)
        .order('updated_at', { ascending: false, nullsFirst: false })
        .order('created_at', { ascending: false, nullsFirst: false })
        .order('id')
        .limit(1),
    );
    return rows[0] && toSpace(rows[0]);
  }

  async list(): Promise<SpaceConfig[]> {
    const rows = await this.api.readAll('listing Spaces', (from, to) =>
      this.api.client.from('hf_spaces_config').select(SPACE_COLUMNS).order('space_type').order('space_name').order('id').range(from, to),
    );
    return rows.map(toSpace);
  }

  /** Creates the Space, or replaces every field of the one with `space.id` (migrations/009 triad_save_space). */
  async upsert(space: Omit<SpaceConfig, 'id'> & { id?: string }): Promise<SpaceConfig> {
    if (space.id !== undefined) requireUuid(space.id, 'Space id');
    const row = await this.api.run<ApiRow>(
      `saving Space '${space.spaceName}'`,
      this.api.client.rpc('triad_save_space', {
        p_id: space.id ?? null,
        p_space_name: space.spaceName,
        p_space_type: space.spaceType,
        p_api_endpoint: space.apiEndpoint,
        p_is_active: space.isActive,
        p_model_version: space.modelVersion,
      }),
    );
    return toSpace(row);
  }
}
