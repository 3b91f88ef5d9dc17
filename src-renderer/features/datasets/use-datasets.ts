import { useStore } from 'zustand';
import { useStores } from '../../app/stores-context';
import type { DatasetsState } from './datasets-store';

/** The datasets slice; the selector must return a stable value (see app/store-hooks.ts). */
export const useDatasets = <T>(selector: (state: DatasetsState) => T): T => useStore(useStores().datasets, selector);
