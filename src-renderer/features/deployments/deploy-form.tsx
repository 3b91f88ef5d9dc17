import { useShallow } from 'zustand/react/shallow';
import { TierField } from '../../common/tier-field';
import { TIER_LABELS } from '../../common/tier-labels';
import { formatPricePerHour } from './deploy-format';
import { formGate, shortVersion } from './deployments-store';
import { GateVerdictNote } from './gate-verdict';
import { useDeployments } from './use-deployments';

/** Sleep times offered; the Hub takes any number of seconds, these cover what operators pick. */
const SLEEP_TIMES: Array<{ seconds: string; label: string }> = [
  { seconds: '', label: 'Hub default' },
  { seconds: '900', label: '15 min' },
  { seconds: '3600', label: '1 h' },
  { seconds: '14400', label: '4 h' },
  { seconds: '86400', label: '24 h' },
];

/** What to deploy where: a registered version, a tier (or its staging Space), hardware with its price, sleep time. */
export function DeployForm() {
  const { form, models, hardware, starting, startError, setForm, start } = useDeployments(
    useShallow((s) => ({ form: s.form, models: s.models, hardware: s.dashboard?.hardware ?? null, starting: s.starting, startError: s.startError, setForm: s.setForm, start: s.start })),
  );
  const freeCpu = form.hardware === 'cpu-basic';
  const flavors = hardware ?? [];
  const picked = models.find((m) => m.id === form.modelId);
  const gate = formGate(form, models);

  return (
    <form
      className="deploy-panel deploy-form"
      aria-label="Deploy a model version"
      onSubmit={(event) => {
        event.preventDefault();
        void start();
      }}
    >
      <h2>Deploy a model version</h2>
      <div className="deploy-fields">
        <label className="deploy-wide">
          <span className="field-label">Model version</span>
          <select aria-label="Model version" value={form.modelId} onChange={(e) => setForm({ modelId: e.target.value })}>
            {models.length === 0 && <option value="">No registered versions yet: train one first</option>}
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {shortVersion(`${m.name}@${m.version}`)}
                {m.tier ? ` · ${TIER_LABELS[m.tier]}` : ''}
                {m.ggufFile ? '' : ' · no GGUF (GPU only)'}
              </option>
            ))}
          </select>
        </label>
        <TierField value={form.tier} onChange={(tier) => setForm({ tier })} />
        <label className="deploy-check">
          <input type="checkbox" aria-label="Staging Space" checked={form.staging} onChange={(e) => setForm({ staging: e.target.checked })} />
          <span>Staging Space (try it out; the tier keeps serving its current version)</span>
        </label>
        <label className="deploy-wide">
          <span className="field-label">Hardware</span>
          <select aria-label="Hardware" value={form.hardware} onChange={(e) => setForm({ hardware: e.target.value })}>
            {!flavors.some((f) => f.name === form.hardware) && <option value={form.hardware}>{form.hardware}</option>}
            {flavors.map((f) => (
              <option key={f.name} value={f.name}>
                {`${f.prettyName} (${f.name}) · ${formatPricePerHour(f.usdPerHour)}`}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Sleep time</span>
          <select aria-label="Sleep time" value={freeCpu ? '' : form.sleepTimeSeconds} disabled={freeCpu} onChange={(e) => setForm({ sleepTimeSeconds: e.target.value })}>
            {SLEEP_TIMES.map((t) => (
              <option key={t.seconds} value={t.seconds}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {freeCpu && <p className="field-hint">Free CPU hardware sleeps after 48 h without requests; its sleep time cannot be changed.</p>}
      {picked && !picked.ggufFile && freeCpu && <p className="notice">This version has no GGUF file: CPU hardware cannot serve it. Pick GPU hardware.</p>}
      {gate && <GateVerdictNote verdict={gate} />}
      {!form.staging && gate?.status !== 'passed' && (
        <label className="deploy-reason">
          <span className="field-label">Override reason (required to promote to live)</span>
          <textarea
            aria-label="Override reason"
            rows={2}
            maxLength={1000}
            placeholder="Why this version should serve the tier without a passing evaluation report"
            value={form.overrideReason}
            onChange={(e) => setForm({ overrideReason: e.target.value })}
          />
          <span className="muted">Promoting needs a passing evaluation report, or this reason; it is recorded and shown in the history.</span>
        </label>
      )}
      <div className="deploy-actions">
        <button type="submit" className="button button-primary" disabled={starting || models.length === 0}>
          {starting ? 'Starting…' : form.staging ? `Deploy to ${TIER_LABELS[form.tier]} staging` : `Promote to live ${TIER_LABELS[form.tier]}`}
        </button>
      </div>
      {startError && (
        <p className="inline-error" role="alert" data-testid="deploy-error">
          {startError}
        </p>
      )}
    </form>
  );
}
