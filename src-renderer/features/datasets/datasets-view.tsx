import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useStore } from 'zustand';
import { useStores } from '../../app/stores-context';
import { DatasetFormSection } from './dataset-form';
import { DatasetHistorySection } from './dataset-history';
import { DatasetPushSection } from './dataset-push';
import { DatasetSummarySection } from './dataset-summary';
import { useDatasets } from './use-datasets';
import '../../common/page.css';
import './datasets.css';

const BUSY_TEXT = { preview: 'Reading, anonymising and filtering the examples…', build: 'Building the dataset…', push: 'Pushing to the Hub…' } as const;

/**
 * The Datasets page: an ML lead picks the tier (and company), the kind and the filters, previews the counts and
 * anonymised examples, builds a version and pushes it to a private dataset repo, and sees every version so far.
 */
export function DatasetsView() {
  const stores = useStores();
  const { summary, busy, buildProgress, error, follow, loadHistory } = useDatasets(
    useShallow((s) => ({ summary: s.summary, busy: s.busy, buildProgress: s.buildProgress, error: s.error, follow: s.follow, loadHistory: s.loadHistory })),
  );
  const settings = useStore(stores.settings, (s) => s.view);
  const role = settings?.user.role;
  const operatorId = settings?.user.id;

  useEffect(() => follow(), [follow]);
  // Read again for each operator: the versions are the team's, under row-level security.
  useEffect(() => {
    if (operatorId && role !== 'analyst') void loadHistory();
  }, [operatorId, role, loadHistory]);

  return (
    <div className="page-view" data-testid="datasets-view">
      <header>
        <h1>Datasets</h1>
        <p className="muted">SFT and DPO datasets from reviewed answers, feedback and Compare votes, anonymised before they leave this computer.</p>
      </header>
      {role === 'analyst' ? (
        <p className="notice">Only ML leads and admins build and push datasets.</p>
      ) : (
        <>
          <DatasetFormSection companies={settings?.companies ?? []} />
          {busy && busy !== 'push' && (
            <p className="datasets-busy" role="status">
              <span className="datasets-spinner" aria-hidden="true" /> {BUSY_TEXT[busy]}
              {buildProgress && buildProgress.total > 0 && (
                <>
                  <progress aria-label="Build progress" max={buildProgress.total} value={buildProgress.done} />
                  <span className="field-hint">
                    {buildProgress.stage} {buildProgress.done}/{buildProgress.total}
                  </span>
                </>
              )}
            </p>
          )}
          {error && (
            <p className="inline-error" role="alert">
              {error}
            </p>
          )}
          {summary && <DatasetSummarySection summary={summary} />}
          <DatasetPushSection />
          <DatasetHistorySection />
        </>
      )}
    </div>
  );
}
