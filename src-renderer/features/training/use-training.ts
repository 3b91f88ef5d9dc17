import { useStore } from 'zustand';
import { useStores } from '../../app/stores-context';
import type { TrainingState } from './training-store';

/** The training slice; the selector must return a stable value (see app/store-hooks.ts). */
export const useTraining = <T>(selector: (state: TrainingState) => T): T => useStore(useStores().training, selector);
