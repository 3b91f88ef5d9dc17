import { TIERS, type Tier } from '../../../src-shared/domain';
import { TIER_LABELS } from '../../common/tier-labels';

/** A leaderboard model (`tier@version`) split for display: its tier, when it names one, and its version. */
export function splitModel(model: string): { tier: Tier | null; version: string } {
  const at = model.indexOf('@');
  const tier = at > 0 ? model.slice(0, at) : '';
  return (TIERS as readonly string[]).includes(tier) ? { tier: tier as Tier, version: model.slice(at + 1) } : { tier: null, version: model };
}

/** "Company · acme-v2". */
export function modelLabel(model: string): string {
  const { tier, version } = splitModel(model);
  return tier ? `${TIER_LABELS[tier]} · ${version}` : version;
}

/** A colour per model for the chart, by its position on the board. */
const SERIES_COLOURS = ['#3656c4', '#17766b', '#6a4fb6', '#b8362a', '#9a6400', '#55657a', '#c2417f', '#2f8fb3'];
export function seriesColour(index: number): string {
  return SERIES_COLOURS[index % SERIES_COLOURS.length]!;
}
