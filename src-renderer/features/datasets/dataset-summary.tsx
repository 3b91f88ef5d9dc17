import type { DatasetRow, DatasetSummary } from '../../../src-shared/dataset-contract';

function CountList({ counts }: { counts: Record<string, number> | undefined }) {
  const entries = Object.entries(counts ?? {});
  if (entries.length === 0) return <span className="muted">none</span>;
  return <>{entries.map(([name, n]) => `${name} ${n}`).join(' · ')}</>;
}

/** One example as text: the anonymised prompt and answer(s), never as markup. */
function Example({ row }: { row: DatasetRow }) {
  const parts = 'messages' in row ? row.messages.map((m) => [m.role, m.content] as const) : ([['prompt', row.prompt], ['chosen', row.chosen], ['rejected', row.rejected]] as const);
  return (
    <li className="datasets-example" data-testid="dataset-example">
      {parts.map(([role, content], i) => (
        <div key={i}>
          <span className="datasets-role">{role}</span> {content}
        </div>
      ))}
      <span className="field-hint">{row.source}</span>
    </li>
  );
}

/** Counts per split, source and label, what each filter removed, and sample examples (anonymised). */
export function DatasetSummarySection({ summary }: { summary: DatasetSummary }) {
  const { counts } = summary;
  return (
    <section className="datasets-card" aria-label="Preview">
      <h2>
        <span data-testid="dataset-counts">
          {counts.train} train · {counts.eval} eval
        </span>
      </h2>
      <p className="muted">
        From {counts.requestsRead} answered requests{summary.params.kind === 'dpo' ? ` and ${counts.votesRead} Compare votes` : ''}: {counts.candidates} examples before filtering.
        Anonymiser {summary.anonymiserVersion}.
      </p>
      <table className="datasets-table">
        <thead>
          <tr>
            <th>Split</th>
            <th>Sources</th>
            <th>Review labels</th>
          </tr>
        </thead>
        <tbody>
          {(['train', 'eval'] as const).map((split) => (
            <tr key={split}>
              <th scope="row">{split}</th>
              <td>
                <CountList counts={counts.bySource[split]} />
              </td>
              <td>
                <CountList counts={counts.byLabel[split]} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="datasets-filters" aria-label="Filters">
        {counts.removed.map((f) => (
          <li key={f.filter}>
            {f.filter}: {f.removed} removed <span className="field-hint">({f.detail})</span>
          </li>
        ))}
      </ul>
      <h3>Examples (anonymised)</h3>
      <ul className="datasets-examples">
        {[...summary.samples.train, ...summary.samples.eval].map((row, i) => (
          <Example key={i} row={row} />
        ))}
      </ul>
    </section>
  );
}
