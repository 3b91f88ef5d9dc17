import type { SettingsView } from '../../../src-shared/ipc-contract';
import { useSettings } from '../../app/store-hooks';
import { SaveOutcome, SettingsCard } from './settings-card';

/** The company Chat and Compare ask about unless a request says otherwise. */
export function CompanyContextSection({ companies, companyContext }: Pick<SettingsView, 'companies' | 'companyContext'>) {
  const setCompanyContext = useSettings((state) => state.setCompanyContext);
  const busy = useSettings((state) => state.saving === 'companyContext');
  return (
    <SettingsCard title="Company context" description="Sent with every question; Auto routes to the Company tier when you may see this company.">
      <label className="field-row">
        <span className="field-label">Company</span>
        <select value={companyContext ?? ''} disabled={busy} onChange={(event) => void setCompanyContext(event.target.value || null)}>
          <option value="">None</option>
          {companies.map((company) => (
            <option key={company.slug} value={company.slug}>
              {company.name} ({company.slug})
            </option>
          ))}
        </select>
      </label>
      <SaveOutcome section="companyContext" />
    </SettingsCard>
  );
}
