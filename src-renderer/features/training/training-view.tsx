import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { useStores } from '../../app/stores-context';
import { LaunchForm } from './launch-form';
import { RunDetail } from './run-detail';
import { RunsList } from './runs-list';
import { isRunFinished } from './training-store';
import { useTraining } from './use-training';
import '../../common/page.css';
import './training.css';

/** How often the open run is read again while it runs: its GPU samples arrive without events. */
const DETAIL_REFRESH_MS = 2_000;

/**
 * The Training page: an ML lead or admin launches a run on Hugging Face Jobs from a pushed dataset version and
 * follows every run live (stage, loss, GPU, logs, cost) to a registered model or a reason it failed.
 */
export function TrainingView() {
  const stores = useStores();
  const role = useStore(stores.settings, (s) => s.view?.user.role);
  const operatorId = useStore(stores.settings, (s) => s.view?.user.id);
  const canTrain = role === 'ml_lead' || role === 'admin';
  const { load, follow, refreshDetail, runs, detail } = useTraining(
    useShallow((s) => ({ load: s.load, follow: s.follow, refreshDetail: s.refreshDetail, runs: s.runs, detail: s.detail })),
  );
  const running = runs.some((run) => !isRunFinished(run));
  const detailRunning = detail !== null && !isRunFinished(detail);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => follow(), [follow]);
  // Read again for another operator: what they may do and see is theirs.
  useEffect(() => {
    if (operatorId) void load({ canTrain });
  }, [operatorId, canTrain, load]);
  // Elapsed time and cost tick while something runs.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [running]);
  useEffect(() => {
    if (!detailRunning) return;
    const timer = setInterval(() => void refreshDetail(), DETAIL_REFRESH_MS);
    return () => clearInterval(timer);
  }, [detailRunning, refreshDetail]);

  return (
    <div className="page-view training-view" data-testid="training-view">
      <header>
        <h1>Training</h1>
        <p className="muted">Fine-tune a tier’s model on a pushed dataset with TRL on Hugging Face Jobs; a finished run registers the model with where it came from.</p>
      </header>
      {role && !canTrain && <p className="notice">Only ML leads and admins launch training runs: they spend the team’s Hugging Face credit. You can follow the runs below.</p>}
      {canTrain && <LaunchForm />}
      <div className="training-layout">
        <RunsList now={now} />
        <RunDetail now={now} canTrain={canTrain} />
      </div>
    </div>
  );
}
