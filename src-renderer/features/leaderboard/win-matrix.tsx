import type { WinMatrix } from '../../../src-shared/leaderboard-contract';
import { modelLabel } from './model-name';

/** Red for a row model that mostly lost, neutral at even, green for one that mostly won. */
function heat(share: number): string {
  const hue = Math.round(share * 130); // 0 red … 65 amber … 130 green
  return `hsl(${hue} 55% ${92 - Math.abs(share - 0.5) * 30}%)`;
}

/** How often the row model beat the column model (ties half), as a heat map with the counts behind it. */
export function WinMatrixGrid({ matrix }: { matrix: WinMatrix }) {
  return (
    <div className="win-matrix" role="table" aria-label="Win matrix" style={{ gridTemplateColumns: `minmax(160px, max-content) repeat(${matrix.models.length}, minmax(52px, 1fr))` }}>
      <div role="row" className="win-matrix-row">
        <span role="columnheader" className="win-matrix-corner">
          row beat column
        </span>
        {/* Columns are numbered by place on the board (the rows spell the names out), so they stay narrow. */}
        {matrix.models.map((model, j) => (
          <span role="columnheader" key={model} className="win-matrix-head is-column" title={model} aria-label={model}>
            #{j + 1}
          </span>
        ))}
      </div>
      {matrix.models.map((row, i) => (
        <div role="row" className="win-matrix-row" key={row}>
          <span role="rowheader" className="win-matrix-head" title={row} aria-label={row}>
            <span className="win-matrix-place">#{i + 1}</span> {modelLabel(row)}
          </span>
          {matrix.models.map((column, j) => {
            const cell = matrix.cells[i]![j]!;
            if (i === j) return <span role="cell" key={column} className="win-cell is-self" aria-label="same model" />;
            if (cell.share === null) {
              return (
                <span role="cell" key={column} className="win-cell is-empty" title={`${row} and ${column} never met`}>
                  –
                </span>
              );
            }
            const share = cell.share;
            return (
              <span
                role="cell"
                key={column}
                className="win-cell"
                style={{ background: heat(share) }}
                title={`${row} beat ${column} in ${cell.wins} of ${cell.battles} (a tie counts half)`}
              >
                {Math.round(share * 100)}%<small>{cell.battles}</small>
              </span>
            );
          })}
        </div>
      ))}
    </div>
  );
}
