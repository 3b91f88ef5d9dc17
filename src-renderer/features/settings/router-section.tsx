import { useEffect } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceDot, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useShallow } from 'zustand/react/shallow';
import type { RouterMetrics, RouterStatus, TierRouterView } from '../../../src-shared/router-contract';
import { useSettings } from '../../app/store-hooks';
import { maxShareOf, useRouter } from './router-store';
import { SettingsCard } from './settings-card';
import './router-section.css';

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** Held-out agreement with the votes against the share sent to the company tier: the router's curve, a random router's, and the rules' point. */
function AgreementChart({ metrics }: { metrics: RouterMetrics }) {
  const data = metrics.points.map((p) => ({ share: Math.round(p.strongShare * 100), router: Math.round(p.agreement * 100), random: Math.round(p.randomAgreement * 100) }));
  return (
    <div className="router-chart" data-testid="router-agreement-chart">
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
          <CartesianGrid stroke="#e3e6ea" strokeDasharray="3 3" />
          <XAxis dataKey="share" type="number" domain={[0, 100]} unit="%" tick={{ fontSize: 12 }} label={{ value: 'sent to the company tier', position: 'insideBottom', offset: -8, fontSize: 12 }} />
          <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 12 }} width={44} />
          <Tooltip formatter={(value) => `${String(value)}%`} labelFormatter={(share) => `${String(share)}% to the company tier`} />
          <Legend verticalAlign="top" height={24} />
          <Line dataKey="router" name="learned router" stroke="#2563eb" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
          <Line dataKey="random" name="random at the same share" stroke="#9ca3af" strokeDasharray="4 4" dot={false} isAnimationActive={false} />
          <ReferenceDot x={Math.round(metrics.rules.strongShare * 100)} y={Math.round(metrics.rules.agreement * 100)} r={5} fill="#d97706" stroke="none" label={{ value: 'rules', position: 'left', fontSize: 12 }} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** What the last training measured on its held-out votes. */
function OfflineNumbers({ router }: { router: TierRouterView }) {
  const { metrics, voteCounts } = router;
  if (!metrics) return <p className="muted">This router was trained by another version of Triad; its offline numbers cannot be shown.</p>;
  return (
    <div className="router-numbers">
      <p className="muted">
        Trained on {voteCounts.votes} votes ({voteCounts.strongWins} company won, {voteCounts.weakWins} base won, {voteCounts.ties} ties) and {voteCounts.thumbs} thumbs;
        evaluated on {metrics.heldOutVotes} held-out votes{metrics.auc === null ? '' : `, AUC ${metrics.auc.toFixed(2)}`}.
      </p>
      <table className="router-points">
        <thead>
          <tr>
            <th scope="col">Target share</th>
            <th scope="col">Sent to company</th>
            <th scope="col">Agrees with votes</th>
            <th scope="col">Random router</th>
          </tr>
        </thead>
        <tbody>
          {metrics.points.map((p) => (
            <tr key={p.targetShare} className={p.targetShare === router.targetShare ? 'is-chosen' : undefined}>
              <td>{percent(p.targetShare)}</td>
              <td>{percent(p.strongShare)}</td>
              <td>{percent(p.agreement)}</td>
              <td>{percent(p.randomAgreement)}</td>
            </tr>
          ))}
          <tr className="is-rules">
            <td>rules</td>
            <td>{percent(metrics.rules.strongShare)}</td>
            <td>{percent(metrics.rules.agreement)}</td>
            <td />
          </tr>
        </tbody>
      </table>
      <AgreementChart metrics={metrics} />
    </div>
  );
}

function CompanyRouter({ company, canTrain }: { company: RouterStatus['companies'][number]; canTrain: boolean }) {
  const { share, training, anyTraining, error, setMaxShare, train } = useRouter(
    useShallow((state) => ({
      share: maxShareOf(state, company.slug, company.router),
      training: state.training === company.slug,
      anyTraining: state.training !== null,
      error: state.trainErrors[company.slug],
      setMaxShare: state.setMaxShare,
      train: state.train,
    })),
  );
  const id = `router-share-${company.slug}`;
  const { router } = company;
  return (
    <div className="router-company" aria-label={`Router of ${company.name}`} role="group">
      <h3>{company.name}</h3>
      {router ? (
        <p>
          Sends at most {percent(router.targetShare)} of requests to the company tier (threshold {router.threshold.toFixed(2)}); trained {new Date(router.trainedAt).toLocaleString()}.
        </p>
      ) : (
        <p className="muted">No router trained: the rules decide.</p>
      )}
      {canTrain && (
        <div className="router-train">
          <label htmlFor={id} className="field-label">
            Max share to the company tier
          </label>
          <input id={id} type="range" min={0} max={100} step={5} value={Math.round(share * 100)} disabled={anyTraining} onChange={(e) => setMaxShare(company.slug, Number(e.target.value) / 100)} />
          <output htmlFor={id}>{percent(share)}</output>
          <button type="button" className="button button-primary" disabled={anyTraining} onClick={() => void train(company.slug)}>
            {training ? 'Training…' : router ? 'Train again' : 'Train'}
          </button>
        </div>
      )}
      {error && (
        <p className="inline-error" role="alert">
          Not trained: {error}
        </p>
      )}
      {router && <OfflineNumbers router={router} />}
    </div>
  );
}

/** Settings → Learned router: per company, train the router from votes with a max share, and its offline numbers. */
export function RouterSection() {
  const { status, loading, loadError, load } = useRouter(useShallow((state) => ({ status: state.status, loading: state.loading, loadError: state.loadError, load: state.load })));
  // The flag as the Feature flags section last saved it, so toggling it there shows here at once.
  const flag = useSettings((state) => state.view?.flags.find((f) => f.key === 'router.learned'));
  useEffect(() => {
    void load();
  }, [load]);
  const on = typeof flag?.value === 'boolean' ? flag.value : (status?.flag.on ?? false);
  return (
    <SettingsCard
      title="Learned router"
      description="Per company, a router trained on Compare votes and thumbs chooses between the company and base tiers in auto routing; it defers to the rules when unsure."
    >
      <p className={on ? 'router-flag is-on' : 'router-flag'} role="status">
        {on ? 'On: auto routing follows each company’s router.' : 'Off: auto routing uses the rules.'} Turned on and off with “router.learned” in Feature flags
        {flag?.source === 'environment' ? ` (set by ${flag.envVar})` : ''}.
      </p>
      {loadError && (
        <p className="inline-error" role="alert">
          Could not read the routers: {loadError}
        </p>
      )}
      {!status && loading && <p className="muted">Reading the routers…</p>}
      {status && status.companies.length === 0 && <p className="muted">You have no companies, so no routers.</p>}
      {status?.companies.map((company) => <CompanyRouter key={company.slug} company={company} canTrain={status.canTrain} />)}
      {status && !status.canTrain && <p className="muted">Only an ML lead or an admin may train a router.</p>}
    </SettingsCard>
  );
}
