import { useStore } from 'zustand';
import { useStores } from '../../app/stores-context';
import type { ReviewState } from './review-store';

/** The review slice; the selector must return a stable value (a field, or an object wrapped in useShallow). */
export const useReview = <T>(selector: (state: ReviewState) => T): T => useStore(useStores().review, selector);
