import type { EvaluationReport, EvaluationTally } from '../../../src-shared/evaluation-contract';
import { formatMs, formatPercent, formatWinRate, shortVersion } from './evaluation-format';
import { WinRateChart } from './win-rate-chart';

const tallyText = (t: EvaluationTally) => `${t.wins} won · ${t.ties} tied · ${t.losses} lost`;

/**
 * What the evaluation found, from the candidate's side: the win rate with its 95% interval (plotted against the
 * 50% line), per company, each side's length and speed, and the judge model's verdicts beside the operator's.
 * Only here does the page say which side was the candidate: the report is read after judging.
 */
export function ReportView({ report, final }: { report: EvaluationReport; final: boolean }) {
  // One company's row would repeat the overall one.
  const companyRows = report.perCompany.length > 1 ? report.perCompany.map((c) => ({ label: c.companySlug ?? 'no company', tally: c })) : [];
  const rows = [{ label: 'All prompts', tally: report.overall }, ...companyRows];
  return (
    <section className="page-card evaluation-report" aria-label="Evaluation report">
      <h2>{final ? 'Report' : 'Report so far'}</h2>
      <p className="evaluation-headline" data-testid="report-win-rate">
        Candidate win rate {formatWinRate(report.overall.winRate, report.overall.interval)}
        <span className="muted">
          {' '}
          over {report.overall.judged} verdict{report.overall.judged === 1 ? '' : 's'} ({tallyText(report.overall)}; a tie counts half)
        </span>
      </p>
      <WinRateChart rows={rows} />

      <h3>Per company</h3>
      <table className="data-table" data-testid="report-companies">
        <thead>
          <tr>
            <th>Company</th>
            <th>Judged</th>
            <th>Won · tied · lost</th>
            <th>Win rate (95% interval)</th>
          </tr>
        </thead>
        <tbody>
          {report.perCompany.map((c) => (
            <tr key={c.companySlug ?? ''} data-testid="report-company">
              <td>{c.companySlug ?? 'no company'}</td>
              <td>{c.judged}</td>
              <td>{tallyText(c)}</td>
              <td>{formatWinRate(c.winRate, c.interval)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Per side</h3>
      <table className="data-table" data-testid="report-sides">
        <thead>
          <tr>
            <th>Side</th>
            <th>Version</th>
            <th>Mean length</th>
            <th>p50 first token</th>
            <th>p50 latency</th>
            <th>p95 latency</th>
            <th>Errors</th>
          </tr>
        </thead>
        <tbody>
          {(['candidate', 'serving'] as const).map((side) => {
            const s = report[side];
            return (
              <tr key={side} data-testid={`report-side-${side}`}>
                <td>{side === 'candidate' ? 'Candidate' : 'Serving'}</td>
                <td className="small-print">{shortVersion(s.modelVersion)}</td>
                <td>{s.meanAnswerChars === null ? '–' : `${Math.round(s.meanAnswerChars)} chars`}</td>
                <td>{formatMs(s.p50TimeToFirstTokenMs)}</td>
                <td>{formatMs(s.p50LatencyMs)}</td>
                <td>{formatMs(s.p95LatencyMs)}</td>
                <td>{s.errors}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {report.unanswered > 0 && (
        <p className="muted" data-testid="report-unanswered">
          {report.unanswered} prompt{report.unanswered === 1 ? ' was' : 's were'} left out: a side failed to answer.
        </p>
      )}

      {report.judgeModel && (
        <>
          <h3>Judge model</h3>
          <p data-testid="report-judge">
            {report.judgeModel.model}: candidate win rate {formatWinRate(report.judgeModel.overall.winRate, report.judgeModel.overall.interval)} ({tallyText(report.judgeModel.overall)})
            {' · '}agrees with the operator on {formatPercent(report.judgeModel.agreementWithOperator)} of the prompts both judged
          </p>
        </>
      )}
    </section>
  );
}
