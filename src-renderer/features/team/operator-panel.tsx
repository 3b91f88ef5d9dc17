import { useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TeamView } from '../../../src-shared/ipc-contract';
import { useTeam } from '../../app/store-hooks';
import { describeSync } from './sync-description';
import { ROLE_LABELS } from './team-labels';

type OperatorSession = NonNullable<TeamView['session']>;

/** Email and password; the password field is emptied after every attempt. */
function SignInForm() {
  const { signIn, busy, error } = useTeam(useShallow((state) => ({ signIn: state.signIn, busy: state.busy, error: state.errors.signIn })));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const typed = password;
    setPassword('');
    await signIn({ email: email.trim(), password: typed });
  };
  return (
    <form className="stacked-form" onSubmit={(event) => void submit(event)} aria-label="Sign in">
      <label className="field-row">
        <span className="field-label">Email</span>
        <input type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
      </label>
      <label className="field-row">
        <span className="field-label">Password</span>
        <input type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
      </label>
      <div className="form-actions">
        {error && (
          <p className="inline-error" role="alert">
            Not signed in: {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy !== null}>
          {busy === 'signIn' ? 'Signing in…' : 'Sign in'}
        </button>
      </div>
    </form>
  );
}

/** Who is signed in, with what role and companies, and the way out. */
function SignedInOperator({ session }: { session: OperatorSession }) {
  const { signOut, busy, error } = useTeam(useShallow((state) => ({ signOut: state.signOut, busy: state.busy, error: state.errors.signOut })));
  return (
    <div className="team-operator" data-testid="team-operator">
      <dl>
        <dt>Signed in as</dt>
        <dd>
          <strong>{session.displayName}</strong> <span className="muted">{session.email}</span>
        </dd>
        <dt>Role</dt>
        <dd>{ROLE_LABELS[session.role]}</dd>
        <dt>Companies</dt>
        <dd>
          {session.companies.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <ul className="team-companies">
              {session.companies.map((company) => (
                <li key={company}>{company}</li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      <div className="form-actions">
        {error && (
          <p className="inline-error" role="alert">
            Not signed out: {error}
          </p>
        )}
        <button type="button" className="button" disabled={busy !== null} onClick={() => void signOut()}>
          {busy === 'signOut' ? 'Signing out…' : 'Sign out'}
        </button>
      </div>
    </div>
  );
}

/** The team project's operator: the sign-in form, or who is signed in; and how far writes are from the project. */
export function OperatorPanel({ session, sync }: Pick<TeamView, 'session' | 'sync'>) {
  const described = describeSync(sync);
  return (
    <div className="team-session">
      <div className="team-session-head">
        <h3>Operator</h3>
        {described && (
          <span className={`team-sync is-${described.tone}`} title={described.detail} data-testid="team-sync">
            {described.label}
          </span>
        )}
      </div>
      {/* Why a session ended on its own (Supabase refused to renew it), so the operator knows why to sign in again. */}
      {!session && sync.lastError && <p className="notice team-signed-out-reason">{sync.lastError}</p>}
      {session ? <SignedInOperator session={session} /> : <SignInForm />}
    </div>
  );
}
