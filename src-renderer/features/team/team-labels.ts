import type { Role } from '../../../src-shared/domain';

/** How the UI names each operator role. */
export const ROLE_LABELS: Record<Role, string> = { analyst: 'Analyst', ml_lead: 'ML lead', admin: 'Admin' };
