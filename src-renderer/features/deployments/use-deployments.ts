import { useStore } from 'zustand';
import { useStores } from '../../app/stores-context';
import type { DeploymentsState } from './deployments-store';

/** The deployments slice; the selector must return a stable value (see app/store-hooks.ts). */
export const useDeployments = <T>(selector: (state: DeploymentsState) => T): T => useStore(useStores().deployments, selector);
