import { existsSync } from 'node:fs';
import { FLAG_DEFINITIONS } from '../../src-shared/feature-flags';
import { TriadError } from '../../src-shared/errors';
import type { ChannelOutput, ChannelParsedInput, SettingsView } from '../../src-shared/ipc-contract';
import type { ApiContext } from './api-context';

export async function settingsView(context: ApiContext): Promise<SettingsView> {
  const { services, userId } = context;
  const [user, flagSnapshot, spaces, localModels, openai, contentFilter, companyContext, companies, secrets, demoWorkspace] = await Promise.all([
    services.store.directory.getUserAccess(userId),
    services.flags.read(),
    services.store.spaces.list(),
    services.settings.get('local.models'),
    services.settings.get('openai'),
    services.settings.get('content.filter'),
    services.settings.get('session.companyContext'),
    services.store.directory.listCompanies(),
    services.secrets.status(),
    demoWorkspaceInUse(context)?.describe(),
  ]);
  if (!user) throw new TriadError({ code: 'unauthorized', message: `unknown user '${userId}'` });
  const flagValues: Record<string, string | boolean> = {
    provider: flagSnapshot.flags.provider,
    'openai.enabled': flagSnapshot.flags.openaiEnabled,
    ...Object.fromEntries(Object.entries(flagSnapshot.flags.tiers).map(([tier, on]) => [`tier.${tier}.enabled`, on])),
  };
  return {
    user: { id: user.id, displayName: user.displayName, role: user.role },
    flags: FLAG_DEFINITIONS.map((flag) => ({
      key: flag.key,
      description: flag.description,
      value: flagValues[flag.key] as SettingsView['flags'][number]['value'],
      source: flagSnapshot.sources[flag.key] ?? 'default',
      envVar: flag.envVar,
    })),
    spaces: spaces
      .filter((space) => space.isActive || !spaces.some((other) => other.spaceType === space.spaceType && other.isActive))
      .map((space) => ({ tier: space.spaceType, spaceName: space.spaceName, apiEndpoint: space.apiEndpoint, modelVersion: space.modelVersion, isActive: space.isActive })),
    localModels,
    openai,
    contentFilter,
    companies: companies.filter((c) => user.companySlugs.includes(c.slug)).map((c) => ({ slug: c.slug, name: c.name })),
    companyContext: companyContext.company,
    secrets,
    demoWorkspace,
  };
}

/** The embedded store's demo workspace while that store is in use; in team mode it is neither shown nor touched. */
function demoWorkspaceInUse(context: ApiContext) {
  return context.services.store.backend === 'supabase' ? undefined : context.services.demoWorkspace;
}

export async function setFlag(context: ApiContext, input: ChannelParsedInput<'settings.setFlag'>): Promise<ChannelOutput<'settings.setFlag'>> {
  await context.services.flags.set(input.key, input.value, context.userId);
  context.status.refresh();
  return settingsView(context);
}

// SpaceSettingsSchema has already refused plain http to another computer (src-shared/secure-url.ts).
export async function saveSpace(context: ApiContext, input: ChannelParsedInput<'settings.saveSpace'>): Promise<ChannelOutput<'settings.saveSpace'>> {
  const existing = (await context.services.store.spaces.list()).find((space) => space.spaceType === input.tier && space.isActive);
  await context.services.store.spaces.upsert({
    id: existing?.id,
    spaceName: input.spaceName,
    spaceType: input.tier,
    apiEndpoint: input.apiEndpoint,
    isActive: input.isActive,
    modelVersion: input.modelVersion,
  });
  // Whether a tier has a Space decides the status bar's Hugging Face token notice.
  context.status.refresh();
  return settingsView(context);
}

export async function saveLocalModels(context: ApiContext, input: ChannelParsedInput<'settings.saveLocalModels'>): Promise<ChannelOutput<'settings.saveLocalModels'>> {
  for (const [tier, path] of Object.entries(input)) {
    if (path && !existsSync(path)) throw new TriadError({ code: 'validation_failed', message: `${tier}: no model file at ${path}` });
  }
  await context.services.settings.set('local.models', input);
  return settingsView(context);
}

export async function saveOpenAi(context: ApiContext, input: ChannelParsedInput<'settings.saveOpenAi'>): Promise<ChannelOutput<'settings.saveOpenAi'>> {
  await context.services.settings.set('openai', input);
  return settingsView(context);
}

export async function saveContentFilter(context: ApiContext, input: ChannelParsedInput<'settings.saveContentFilter'>): Promise<ChannelOutput<'settings.saveContentFilter'>> {
  await context.services.settings.set('content.filter', input);
  return settingsView(context);
}

export async function setCompanyContext(context: ApiContext, input: ChannelParsedInput<'settings.setCompanyContext'>): Promise<ChannelOutput<'settings.setCompanyContext'>> {
  if (input.company !== null) {
    const user = await context.services.store.directory.getUserAccess(context.userId);
    if (!user?.companySlugs.includes(input.company)) {
      throw new TriadError({ code: 'forbidden', message: `company: you have no access to '${input.company}'` });
    }
  }
  await context.services.settings.set('session.companyContext', { company: input.company });
  return settingsView(context);
}

export async function removeDemoWorkspace(context: ApiContext): Promise<ChannelOutput<'settings.removeDemoWorkspace'>> {
  const demo = demoWorkspaceInUse(context);
  if (!demo) {
    throw new TriadError({
      code: 'validation_failed',
      message: "there is no demo workspace to remove here: it lives only in this computer's embedded store, and a team's store is in use",
    });
  }
  const removed = await demo.remove();
  context.services.logger.info(removed, 'demo workspace removed');
  return settingsView(context);
}
