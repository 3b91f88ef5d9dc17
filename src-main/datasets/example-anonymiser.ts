import type { Tier } from '../../src-shared/domain';
import type { Company } from '../store/repositories';
import type { ExampleAnonymiser } from './dataset-builder';

/**
 * The anonymiser a tier's dataset goes through. Every dataset leaves the machine anonymised (people, contacts,
 * secrets…); companies are replaced too, except, in a Company dataset, the company's own name, which is what
 * its model is for.
 */
export async function exampleAnonymiserFor(tier: Tier, company: string | null, companies: readonly Company[]): Promise<ExampleAnonymiser> {
  // Loaded with the first dataset built, not with the app: compromise's lexicon takes about half a second to load.
  const { Anonymiser, ANONYMISER_VERSION } = await import('./anonymiser/anonymiser');
  const masked = companies.filter((c) => !(tier === 'company' && c.slug === company)).map(({ slug, name }) => ({ slug, name }));
  const anonymiser = new Anonymiser({ companies: masked });
  return {
    version: ANONYMISER_VERSION,
    anonymiseAll: (texts) => anonymiser.anonymiseAll(texts).map((t) => t.anonymised),
  };
}
