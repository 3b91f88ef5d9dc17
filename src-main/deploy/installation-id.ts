import { randomUUID } from 'node:crypto';
import type { SettingsRepository } from '../store/repositories';

/** The embedded store's setting that holds this installation's id. */
const INSTALLATION_ID_SETTING = 'installation.id';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * This installation of the app: a random UUID made at its first start and kept in its embedded store (the data
 * folder), so that a restarted app knows which of a team's running deploys were its own.
 */
export async function installationId(settings: Pick<SettingsRepository, 'get' | 'set'>): Promise<string> {
  const kept = await settings.get(INSTALLATION_ID_SETTING);
  if (typeof kept === 'string' && UUID.test(kept)) return kept;
  const made = randomUUID();
  await settings.set(INSTALLATION_ID_SETTING, made);
  return made;
}
