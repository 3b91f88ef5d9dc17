import { createContext, useContext, type ReactNode } from 'react';
import type { AppStores } from './app-stores';

const StoresContext = createContext<AppStores | null>(null);

export function StoresProvider({ stores, children }: { stores: AppStores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

/** The app's stores; every feature hook reads its slice through this. */
export function useStores(): AppStores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores needs a <StoresProvider> above it');
  return stores;
}
