import { useEffect } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { useStores } from '../../app/stores-context';
import { evaluationKeyAction } from './evaluation-keys';
import { RunDetail } from './run-detail';
import { RunsList } from './runs-list';
import { StartForm } from './start-form';
import { useEvaluation } from './use-evaluation';
import '../../common/page.css';
import './evaluation.css';

function isField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/**
 * The Evaluation page: an ML lead or admin replays a registered model version's eval split against the version
 * serving its tier, judges the answers blind and side by side from the keyboard, and reads the report the
 * deploy gate reads.
 */
export function EvaluationView() {
  const stores = useStores();
  const role = useStore(stores.settings, (s) => s.view?.user.role);
  const operatorId = useStore(stores.settings, (s) => s.view?.user.id);
  const canEvaluate = role === 'ml_lead' || role === 'admin';
  // The keys judge only while the judging view is shown (a failed run has none).
  const { load, follow, judgingShown } = useEvaluation(useShallow((s) => ({ load: s.load, follow: s.follow, judgingShown: s.detail !== null && s.detail.status !== 'failed' })));

  useEffect(() => follow(), [follow]);
  // Read again for another operator: what they may do and see is theirs.
  useEffect(() => {
    if (operatorId) void load({ canEvaluate });
  }, [operatorId, canEvaluate, load]);

  useEffect(() => {
    if (!canEvaluate || !judgingShown) return;
    const onKey = (event: KeyboardEvent) => {
      const action = evaluationKeyAction(event, isField(event.target));
      if (!action) return;
      event.preventDefault();
      const state = stores.evaluation.getState();
      if (action.kind === 'move') state.move(action.delta);
      else void state.judge(action.verdict);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canEvaluate, judgingShown, stores]);

  return (
    <div className="page-view evaluation-view" data-testid="evaluation-view">
      <header>
        <h1>Evaluation</h1>
        <p className="muted">Replay a trained version’s eval split against the version serving its tier, judge the answers blind, and read the win rate the deploy gate reads.</p>
      </header>
      {role && !canEvaluate && (
        <p className="notice">Only ML leads and admins start and judge evaluations: a run calls the tiers’ Spaces and its verdicts decide what is deployed. You can read the runs and their reports below.</p>
      )}
      {canEvaluate && <StartForm />}
      <RunsList />
      <RunDetail canEvaluate={canEvaluate} />
    </div>
  );
}
