import { useState, type FormEvent } from 'react';
import { Field } from '../components/field.js';
import { ErrorNotice, Notice } from '../components/notice.js';
import { useAction } from '../hooks/use-action.js';
import { useSession } from '../session.js';

/** The merchant's sign-in. The session lives in an HttpOnly cookie; the page never sees it. */
export function SignInPage() {
  const { signIn, endedReason } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(() => signIn(email, password));
  };

  return (
    <main className="auth" id="main">
      <form className="card auth__card" onSubmit={submit} aria-labelledby="sign-in-title">
        <div className="brand brand--large"><span className="brand__mark" aria-hidden="true">✓</span> Real ID</div>
        <h1 id="sign-in-title">Sign in to your dashboard</h1>
        {endedReason && !action.error && <Notice tone="warning">{endedReason}</Notice>}
        <ErrorNotice error={action.error} />
        <Field label="Email">
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        </Field>
        <Field label="Password">
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <button type="submit" className="btn btn--primary btn--block" disabled={action.busy}>{action.busy ? 'Signing in…' : 'Sign in'}</button>
        <p className="muted small">Your operator gave you these details, or they were printed when Real ID first started.</p>
      </form>
    </main>
  );
}
