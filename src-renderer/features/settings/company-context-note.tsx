import { useSettings } from '../../app/store-hooks';
import { isDemoCompany } from './demo-companies';
import './demo-workspace.css';

/**
 * Which company questions are asked about (the Settings company context), shown where questions are written:
 * it decides whether Auto can pick Company, and the Company tier refuses to answer without one. A demo
 * company is labelled as demo data.
 */
export function CompanyContextNote() {
  const view = useSettings((state) => state.view);
  if (!view) return null;
  const company = view.companies.find((c) => c.slug === view.companyContext);
  return (
    <span className="company-context-note" title="Change it in Settings → Company context" data-testid="company-context-note">
      {company ? (
        <>
          Company context: <strong>{company.name}</strong>
          {isDemoCompany(view, company.slug) && (
            <>
              {' '}
              <span className="demo-badge">demo data</span>
            </>
          )}
        </>
      ) : view.companyContext ? (
        <>
          Company context: <strong>{view.companyContext}</strong>
        </>
      ) : (
        'No company context (the Company tier needs one: see Settings)'
      )}
    </span>
  );
}
