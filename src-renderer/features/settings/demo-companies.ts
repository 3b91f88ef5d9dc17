import type { SettingsView } from '../../../src-shared/ipc-contract';

/** Whether `slug` is one of the demo workspace's sample companies. */
export function isDemoCompany(view: Pick<SettingsView, 'demoWorkspace'>, slug: string): boolean {
  return view.demoWorkspace?.companies.some((company) => company.slug === slug) ?? false;
}
