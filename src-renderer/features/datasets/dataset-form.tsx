import { useShallow } from 'zustand/react/shallow';
import { TierField } from '../../common/tier-field';
import { DATASET_KINDS } from '../../../src-shared/dataset-contract';
import { useDatasets } from './use-datasets';

const KIND_LABELS = { sft: 'SFT: conversations', dpo: 'DPO: preference pairs' } as const;

/** What to build: tier, company, kind and the filters' parameters; Preview and Build. */
export function DatasetFormSection({ companies }: { companies: Array<{ slug: string; name: string }> }) {
  const { form, busy, setForm, preview, build } = useDatasets(
    useShallow((s) => ({ form: s.form, busy: s.busy, setForm: s.setForm, preview: s.preview, build: s.build })),
  );
  const needsCompany = form.tier === 'company' && !form.company;
  const number = (value: string, fallback: number) => (value.trim() === '' || !Number.isFinite(Number(value)) ? fallback : Number(value));
  return (
    <form
      className="datasets-card datasets-form"
      aria-label="Dataset"
      onSubmit={(event) => {
        event.preventDefault();
        void build();
      }}
    >
      <TierField value={form.tier} onChange={(tier) => setForm({ tier })} />
      <label>
        <span className="field-label">Company</span>
        <select aria-label="Company" value={form.company ?? ''} disabled={form.tier !== 'company'} onChange={(e) => setForm({ company: e.target.value || null })}>
          <option value="">{form.tier === 'company' ? 'Choose a company' : 'Every company'}</option>
          {companies.map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="field-label">Kind</span>
        <select aria-label="Kind" value={form.kind} onChange={(e) => setForm({ kind: e.target.value as (typeof DATASET_KINDS)[number] })}>
          {DATASET_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {KIND_LABELS[kind]}
            </option>
          ))}
        </select>
      </label>
      <label title="Abstraction keeps a prompt pattern only when it appears in at least k companies">
        <span className="field-label">k companies</span>
        <input aria-label="k companies" type="number" min={1} max={100} value={form.k} disabled={form.tier !== 'abstraction'} onChange={(e) => setForm({ k: number(e.target.value, form.k) })} />
      </label>
      <label>
        <span className="field-label">Seed</span>
        <input aria-label="Seed" type="number" min={0} value={form.seed} onChange={(e) => setForm({ seed: number(e.target.value, form.seed) })} />
      </label>
      <label>
        <span className="field-label">Eval share (%)</span>
        <input
          aria-label="Eval share"
          type="number"
          min={0}
          max={50}
          value={Math.round(form.evalShare * 100)}
          onChange={(e) => setForm({ evalShare: number(e.target.value, form.evalShare * 100) / 100 })}
        />
      </label>
      <div className="datasets-actions">
        <button type="button" className="button" disabled={busy !== null || needsCompany} onClick={() => void preview()}>
          Preview
        </button>
        <button type="submit" className="button button-primary" disabled={busy !== null || needsCompany}>
          Build
        </button>
      </div>
    </form>
  );
}
