import type { ChannelOutput, ChannelParsedInput } from '../../src-shared/ipc-contract';
import type { ApiContext } from './api-context';

// Team mode (src-main/team/team-controller.ts): the connection, the operator's session and the sync state.
// Every change is also broadcast as `team.changed`.

export function teamGet(context: ApiContext): Promise<ChannelOutput<'team.get'>> {
  return context.services.team.view();
}

export async function teamConfigure(context: ApiContext, input: ChannelParsedInput<'team.configure'>): Promise<ChannelOutput<'team.configure'>> {
  await context.services.team.configure(input);
  return context.services.team.view();
}

export function teamTestConnection(context: ApiContext, input: ChannelParsedInput<'team.testConnection'>): Promise<ChannelOutput<'team.testConnection'>> {
  return context.services.team.testConnection(input);
}

export async function teamSignIn(context: ApiContext, input: ChannelParsedInput<'team.signIn'>): Promise<ChannelOutput<'team.signIn'>> {
  await context.services.team.signIn(input);
  return context.services.team.view();
}

export async function teamSignOut(context: ApiContext): Promise<ChannelOutput<'team.signOut'>> {
  await context.services.team.signOut();
  return context.services.team.view();
}
