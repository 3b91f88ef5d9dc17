import { useShallow } from 'zustand/react/shallow';
import { TIER_LABELS } from '../../common/tier-labels';
import { useDatasets } from './use-datasets';

const STATUS_LABELS = { built: 'built', pushed: 'pushed', push_failed: 'push failed' } as const;

/** Every version built, newest first: where it went, or why its push failed (with a retry). */
export function DatasetHistorySection() {
  const { history, busy, repo, pushDataset } = useDatasets(useShallow((s) => ({ history: s.history, busy: s.busy, repo: s.repo, pushDataset: s.pushDataset })));
  return (
    <section className="datasets-card" aria-label="Dataset versions">
      <h2>Versions</h2>
      {history.length === 0 ? (
        <p className="muted">No dataset built yet.</p>
      ) : (
        <table className="datasets-table">
          <thead>
            <tr>
              <th>Built</th>
              <th>Dataset</th>
              <th>Examples</th>
              <th>Status</th>
              <th>Hub</th>
            </tr>
          </thead>
          <tbody>
            {history.map((v) => (
              <tr key={v.id} data-testid="dataset-version">
                <td>{new Date(v.createdAt).toLocaleString()}</td>
                <td>
                  {TIER_LABELS[v.tier]}
                  {v.company ? ` (${v.company})` : ''} {v.kind.toUpperCase()}
                </td>
                <td>
                  {v.train} / {v.eval}
                </td>
                <td>{STATUS_LABELS[v.status]}</td>
                <td>
                  {v.status === 'pushed' && (
                    <>
                      {v.repo}@<code>{v.commitSha?.slice(0, 7)}</code>
                    </>
                  )}
                  {v.status === 'push_failed' && (
                    <>
                      <span className="field-hint">{v.pushError}</span>{' '}
                      <button type="button" className="button button-small" disabled={busy !== null || repo.trim() === ''} onClick={() => void pushDataset(v.id)}>
                        Retry
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
