import type { SettingsView } from '../../../src-shared/ipc-contract';
import { useSettings } from '../../app/store-hooks';
import { isDemoCompany } from './demo-companies';
import { SaveOutcome, SettingsCard } from './settings-card';

type Props = Pick<SettingsView, 'companies' | 'companyContext' | 'demoWorkspace'>;

/** The company Chat and Compare ask about unless a request says otherwise; demo companies are grouped as such. */
export function CompanyContextSection({ companies, companyContext, demoWorkspace }: Props) {
  const setCompanyContext = useSettings((state) => state.setCompanyContext);
  const busy = useSettings((state) => state.saving === 'companyContext');
  const own = companies.filter((company) => !isDemoCompany({ demoWorkspace }, company.slug));
  const demo = companies.filter((company) => isDemoCompany({ demoWorkspace }, company.slug));
  const option = (company: Props['companies'][number]) => (
    <option key={company.slug} value={company.slug}>
      {company.name} ({company.slug})
    </option>
  );
  return (
    <SettingsCard title="Company context" description="Sent with every question; Auto routes to the Company tier when you may see this company.">
      <label className="field-row">
        <span className="field-label">Company</span>
        <select value={companyContext ?? ''} disabled={busy} onChange={(event) => void setCompanyContext(event.target.value || null)}>
          <option value="">None</option>
          {own.map(option)}
          {demo.length > 0 && <optgroup label="Demo workspace (sample data)">{demo.map(option)}</optgroup>}
        </select>
      </label>
      <SaveOutcome section="companyContext" />
    </SettingsCard>
  );
}
