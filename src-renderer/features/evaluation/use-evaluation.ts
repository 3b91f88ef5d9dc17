import { useStore } from 'zustand';
import { useStores } from '../../app/stores-context';
import type { EvaluationState } from './evaluation-store';

/** The evaluation slice; the selector must return a stable value (see app/store-hooks.ts). */
export const useEvaluation = <T>(selector: (state: EvaluationState) => T): T => useStore(useStores().evaluation, selector);
