import { useShallow } from 'zustand/react/shallow';
import { TierField } from '../../common/tier-field';
import { formatUsd } from './training-format';
import { maxCostUsd, type TrainingParamsForm } from './training-store';
import { useTraining } from './use-training';

const KIND_LABELS = { sft: 'SFT: supervised fine-tuning', dpo: 'DPO: preference optimisation' } as const;

/** The numeric hyper-parameters, with what the form calls them. */
const NUMBER_FIELDS: Array<{ key: Exclude<keyof TrainingParamsForm, 'lora' | 'gguf'>; label: string; hint?: string; dpoOnly?: boolean; loraOnly?: boolean }> = [
  { key: 'epochs', label: 'Epochs' },
  { key: 'maxSteps', label: 'Max steps', hint: '-1: as many as the epochs take' },
  { key: 'learningRate', label: 'Learning rate', hint: 'blank: 2e-5 (SFT), 5e-7 (DPO)' },
  { key: 'batchSize', label: 'Batch size' },
  { key: 'gradAccum', label: 'Gradient accumulation' },
  { key: 'maxLength', label: 'Max length (tokens)' },
  { key: 'beta', label: 'DPO beta', dpoOnly: true },
  { key: 'loraR', label: 'LoRA r', loraOnly: true },
  { key: 'loraAlpha', label: 'LoRA alpha', loraOnly: true },
];

/** What to train: dataset version, tier, base model, SFT or DPO, hyper-parameters, hardware with its price, timeout. */
export function LaunchForm() {
  const { form, flavors, flavorsError, datasets, launching, launchError, setForm, setParams, pickDataset, launch } = useTraining(
    useShallow((s) => ({
      form: s.form,
      flavors: s.flavors,
      flavorsError: s.flavorsError,
      datasets: s.datasets,
      launching: s.launching,
      launchError: s.launchError,
      setForm: s.setForm,
      setParams: s.setParams,
      pickDataset: s.pickDataset,
      launch: s.launch,
    })),
  );
  const flavor = flavors.find((f) => f.name === form.flavor);
  const maxCost = maxCostUsd(flavor, form.timeout);

  return (
    <form
      className="page-card training-form"
      aria-label="Launch a training run"
      onSubmit={(event) => {
        event.preventDefault();
        void launch();
      }}
    >
      <h2>Launch a training run</h2>
      <div className="training-fields">
        <label className="training-wide">
          <span className="field-label">Dataset version</span>
          <input
            aria-label="Dataset version"
            list="training-datasets"
            placeholder="owner/name@commit"
            value={form.dataset}
            spellCheck={false}
            onChange={(e) => (datasets.some((d) => d.version === e.target.value) ? pickDataset(e.target.value) : setForm({ dataset: e.target.value }))}
          />
          <datalist id="training-datasets">
            {datasets.map((d) => (
              <option key={d.version} value={d.version}>
                {d.label}
              </option>
            ))}
          </datalist>
          <span className="field-hint">{datasets.length > 0 ? `${datasets.length} pushed version${datasets.length === 1 ? '' : 's'} to pick from` : 'a dataset pushed from the Datasets page, with its commit'}</span>
        </label>
        <TierField value={form.tier} onChange={(tier) => setForm({ tier })} />
        <label className="training-wide">
          <span className="field-label">Base model</span>
          <input aria-label="Base model" value={form.baseModel} spellCheck={false} onChange={(e) => setForm({ baseModel: e.target.value })} />
        </label>
        <label>
          <span className="field-label">Method</span>
          <select aria-label="Method" value={form.kind} onChange={(e) => setForm({ kind: e.target.value as 'sft' | 'dpo' })}>
            {(['sft', 'dpo'] as const).map((kind) => (
              <option key={kind} value={kind}>
                {KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </label>
      </div>

      <details className="training-params">
        <summary>Hyper-parameters (the training script’s defaults)</summary>
        <div className="training-fields">
          {NUMBER_FIELDS.filter((f) => (!f.dpoOnly || form.kind === 'dpo') && (!f.loraOnly || form.params.lora)).map((field) => (
            <label key={field.key} title={field.hint}>
              <span className="field-label">{field.label}</span>
              <input aria-label={field.label} inputMode="decimal" value={form.params[field.key]} placeholder={field.hint} onChange={(e) => setParams({ [field.key]: e.target.value })} />
            </label>
          ))}
          <label className="training-check">
            <input type="checkbox" checked={form.params.lora} onChange={(e) => setParams({ lora: e.target.checked })} /> LoRA adapters
          </label>
          <label className="training-check">
            <input type="checkbox" checked={form.params.gguf} onChange={(e) => setParams({ gguf: e.target.checked })} /> GGUF for CPU Spaces
          </label>
        </div>
      </details>

      <div className="training-fields">
        <label className="training-wide">
          <span className="field-label">Hardware</span>
          <select aria-label="Hardware" value={form.flavor} onChange={(e) => setForm({ flavor: e.target.value })} disabled={flavors.length === 0}>
            {flavors.length === 0 && <option value="">{flavorsError ? 'the price list could not be read' : 'reading the price list…'}</option>}
            {flavors.map((f) => (
              <option key={f.name} value={f.name}>
                {f.prettyName} ({f.name}) · {formatUsd(f.usdPerHour)}/h{f.accelerator ? ` · ${f.accelerator}` : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="field-label">Timeout</span>
          <input aria-label="Timeout" value={form.timeout} placeholder="2h, 90m, 3600" onChange={(e) => setForm({ timeout: e.target.value })} />
        </label>
        <p className="training-estimate" data-testid="training-estimate">
          {maxCost === null ? 'Estimated cost: pick the hardware and a timeout' : `Estimated cost: at most ${formatUsd(maxCost)}`}
          {flavor && maxCost !== null && (
            <span className="muted">
              {' '}
              ({formatUsd(flavor.usdPerHour)}/h × the timeout; you pay for the time it runs)
            </span>
          )}
        </p>
      </div>

      {flavorsError && (
        <p className="inline-error" role="alert">
          The Jobs hardware list could not be read: {flavorsError}
        </p>
      )}
      {launchError && (
        <p className="inline-error" role="alert" data-testid="launch-error">
          Not launched: {launchError}
        </p>
      )}
      <div className="training-actions">
        {launching && (
          <span role="status" className="training-busy">
            <span className="spinner" aria-hidden="true" /> Launching on Hugging Face Jobs…
          </span>
        )}
        <button type="submit" className="button button-primary" disabled={launching || !form.flavor}>
          Launch
        </button>
      </div>
    </form>
  );
}
