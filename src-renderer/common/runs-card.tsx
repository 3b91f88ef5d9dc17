import type { ReactNode } from 'react';

/**
 * A card listing runs (training, evaluation) newest first: the error reading them, "none yet", or a table with the
 * given column headings and a row per run, as the page renders it.
 */
export function RunsCard<Run>(props: { label: string; headings: readonly string[]; emptyText: string; error: string | null; errorText: string; runs: readonly Run[]; row: (run: Run) => ReactNode }) {
  const { label, headings, emptyText, error, errorText, runs, row } = props;
  return (
    <section className="page-card" aria-label={label}>
      <h2>Runs</h2>
      {error && (
        <p className="inline-error" role="alert">
          {errorText}: {error}
        </p>
      )}
      {runs.length === 0 && !error ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              {headings.map((heading) => (
                <th key={heading}>{heading}</th>
              ))}
            </tr>
          </thead>
          <tbody>{runs.map(row)}</tbody>
        </table>
      )}
    </section>
  );
}

/** A run's name as the link that opens it, with a line of small print under it. */
export function RunLink({ selected, onSelect, title, detail }: { selected: boolean; onSelect: () => void; title: ReactNode; detail: ReactNode }) {
  return (
    <>
      <button type="button" className="run-link" aria-current={selected ? 'true' : undefined} onClick={onSelect}>
        {title}
      </button>
      <div className="muted small-print">{detail}</div>
    </>
  );
}
