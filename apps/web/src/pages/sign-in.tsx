import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ssoSignInUrl, useSession, useSignIn, useSignInMethods } from '../api/session';
import { ErrorNotice, Loading, TextField, usePageTitle } from '../components/ui';

/**
 * Paste an API key once: the API exchanges it for a session cookie the page never sees. When
 * the API has single sign-on, "Sign in with SSO" goes to the identity provider instead.
 */
export default function SignIn() {
  usePageTitle('Sign in');
  const session = useSession();
  const signIn = useSignIn();
  const methods = useSignInMethods();
  const navigate = useNavigate();
  const location = useLocation();
  const [key, setKey] = useState('');
  const from = (location.state as { from?: string } | null)?.from ?? '/incidents';
  const next = from.startsWith('/') && !from.startsWith('//') && from !== '/sign-in' ? from : '/incidents';

  if (session.isPending) return <Loading what="your session" />;
  if (session.data && !signIn.isPending) return <Navigate to={next} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate(key.trim(), {
      onSuccess: () => {
        setKey('');
        void navigate(next, { replace: true });
      },
    });
  };

  return (
    <main id="main" className="page sign-in">
      <h1>Sign in to Firebreak</h1>
      {methods.data?.sso ? (
        <>
          <p>
            <a className="button" href={ssoSignInUrl(next)}>
              Sign in with SSO
            </a>
          </p>
          <p>Or, with an API key:</p>
        </>
      ) : null}
      <p>
        Paste your API key. It is exchanged once for a session cookie that ends when you sign out or after the session&apos;s time; the
        key itself is not kept in this browser.
      </p>
      <form onSubmit={submit} noValidate>
        <TextField label="API key" type="password" name="key" autoComplete="off" value={key} onChange={setKey} required />
        {signIn.isError ? <ErrorNotice error={signIn.error} title="Not signed in" /> : null}
        <button type="submit" disabled={signIn.isPending || key.trim() === ''}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="muted">
        Without a key: <code>npm start</code> prints one, or ask whoever runs Firebreak for one (<code>API_KEYS</code>).
      </p>
    </main>
  );
}
