import { TriadError } from '../../src-shared/errors';
import type { AppServices } from '../app-services';
import type { UserAccess } from '../store/repositories';

/** The operator with this id and their role and companies (the embedded store's local operator needs no lookup). */
export async function operatorAccess(services: AppServices, userId: string): Promise<UserAccess> {
  if (userId === services.localOperator.id) return services.localOperator;
  const access = await services.store.directory.getUserAccess(userId);
  if (!access) throw new TriadError({ code: 'forbidden', message: 'the signed-in operator is not in the team directory; ask an admin to add them' });
  return access;
}

/** Who the app acts as: the operator signed in to the team, else the embedded store's local operator. */
export function currentOperator(services: AppServices): Promise<UserAccess> {
  return operatorAccess(services, services.team.signedInOperatorId() ?? services.localOperator.id);
}
