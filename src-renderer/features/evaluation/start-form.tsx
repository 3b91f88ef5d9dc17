import { useShallow } from 'zustand/react/shallow';
import { TIER_LABELS } from '../../common/tier-labels';
import { shortVersion } from './evaluation-format';
import { useEvaluation } from './use-evaluation';

/** What to evaluate: a registered model version, where it answers from, and how many eval examples to replay. */
export function StartForm() {
  const { form, models, modelsError, starting, startError, setForm, start } = useEvaluation(
    useShallow((s) => ({ form: s.form, models: s.models, modelsError: s.modelsError, starting: s.starting, startError: s.startError, setForm: s.setForm, start: s.start })),
  );
  const model = models.find((m) => m.id === form.modelId);
  const tier = model?.tier ? TIER_LABELS[model.tier] : null;

  return (
    <form
      className="page-card evaluation-form"
      aria-label="Start an evaluation"
      onSubmit={(event) => {
        event.preventDefault();
        void start();
      }}
    >
      <h2>Start an evaluation</h2>
      <div className="evaluation-fields">
        <label className="evaluation-wide">
          <span className="field-label">Model version</span>
          <select aria-label="Model version" value={form.modelId} disabled={models.length === 0} onChange={(e) => setForm({ modelId: e.target.value, candidate: 'staging' })}>
            {models.length === 0 && <option value="">{modelsError ? 'the registered versions could not be read' : 'no registered model version yet'}</option>}
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {shortVersion(`${m.name}@${m.version}`)}
                {m.tier ? ` · ${TIER_LABELS[m.tier]}` : ''}
              </option>
            ))}
          </select>
          <span className="field-hint">{tier ? `against the version serving ${tier} now, on its eval split` : 'a version registered by a training run'}</span>
        </label>
        <fieldset className="evaluation-choices">
          <legend className="field-label">Candidate answers from</legend>
          <label>
            <input type="radio" name="candidate" checked={form.candidate === 'staging'} onChange={() => setForm({ candidate: 'staging' })} /> {tier ?? 'the tier'}’s staging Space
          </label>
          <label title={model && !model.ggufFile ? 'this version has no GGUF file' : undefined}>
            <input type="radio" name="candidate" checked={form.candidate === 'local'} disabled={!model?.ggufFile} onChange={() => setForm({ candidate: 'local' })} /> this machine (its GGUF)
          </label>
        </fieldset>
        <label>
          <span className="field-label">Eval examples</span>
          <input aria-label="Eval examples" inputMode="numeric" value={form.limit} onChange={(e) => setForm({ limit: e.target.value })} />
          <span className="field-hint">at most, in the split’s order</span>
        </label>
      </div>
      {modelsError && (
        <p className="inline-error" role="alert">
          The registered model versions could not be read: {modelsError}
        </p>
      )}
      {startError && (
        <p className="inline-error" role="alert" data-testid="start-error">
          Not started: {startError}
        </p>
      )}
      <div className="evaluation-actions">
        {starting && (
          <span role="status" className="evaluation-busy">
            <span className="spinner" aria-hidden="true" /> Reading the eval split…
          </span>
        )}
        <button type="submit" className="button button-primary" disabled={starting || models.length === 0}>
          Start evaluation
        </button>
      </div>
    </form>
  );
}
