import { useShallow } from 'zustand/react/shallow';
import { useDatasets } from './use-datasets';

/** Pushing the dataset just built to a private repo on the Hub, with a progress bar and a retry after a failure. */
export function DatasetPushSection() {
  const { built, repo, busy, push, setRepo, pushDataset } = useDatasets(
    useShallow((s) => ({ built: s.built, repo: s.repo, busy: s.busy, push: s.push, setRepo: s.setRepo, pushDataset: s.pushDataset })),
  );
  if (!built) return null;
  const mine = push?.datasetId === built.id ? push : null;
  return (
    <form
      className="datasets-card datasets-push"
      aria-label="Push to the Hub"
      onSubmit={(event) => {
        event.preventDefault();
        void pushDataset();
      }}
    >
      <p>
        Built dataset <code>{built.id}</code>: {built.train} train, {built.eval} eval.
      </p>
      {built.status === 'pushed' ? (
        <p role="status" data-testid="dataset-pushed">
          Pushed to {built.repo} as commit <code>{built.commitSha}</code>
        </p>
      ) : (
        <>
          <label>
            <span className="field-label">Dataset repo</span>
            <input aria-label="Dataset repo" placeholder="name or owner/name" value={repo} onChange={(e) => setRepo(e.target.value)} />
          </label>
          <button type="submit" className="button button-primary" disabled={busy !== null || repo.trim() === ''}>
            {mine?.error ? 'Retry push' : 'Push to the Hub'}
          </button>
        </>
      )}
      {mine?.progress && (
        <div className="datasets-progress">
          <progress aria-label="Push progress" max={1} value={mine.progress.fraction} />
          <span className="field-hint">{mine.progress.message}</span>
        </div>
      )}
      {mine?.error && (
        <p className="inline-error" role="alert">
          The push failed: {mine.error}
        </p>
      )}
    </form>
  );
}
