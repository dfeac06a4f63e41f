import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { createBrowserRouter, Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { onSignedOut } from './api/client';
import { may, SESSION_KEY, useSession, useSignOut } from './api/session';
import { ErrorNotice, Loading } from './components/ui';

/** Each page is its own chunk: the first page loads only what it shows. */
const page = (load: () => Promise<{ default: ComponentType }>) => {
  const Page = lazy(load);
  return (
    <Suspense fallback={<Loading what="the page" />}>
      <Page />
    </Suspense>
  );
};

/** The pages, by path. The browser tests and docs/console.md name the same paths. */
export const router = createBrowserRouter([
  { path: '/sign-in', element: page(() => import('./pages/sign-in')) },
  {
    element: <Shell />,
    children: [
      { index: true, element: <Navigate to="/incidents" replace /> },
      { path: 'incidents', element: page(() => import('./pages/incidents')) },
      { path: 'incidents/new', element: page(() => import('./pages/declare')) },
      { path: 'incidents/:id', element: page(() => import('./pages/incident')) },
      { path: 'runbooks', element: page(() => import('./pages/runbooks')) },
      { path: 'runbooks/:id', element: page(() => import('./pages/runbook')) },
      { path: 'executions', element: page(() => import('./pages/executions')) },
      { path: 'executions/:id', element: page(() => import('./pages/execution')) },
      { path: 'approvals', element: page(() => import('./pages/approvals')) },
      { path: 'heartbeats', element: page(() => import('./pages/heartbeats')) },
      { path: 'oncall', element: page(() => import('./pages/oncall')) },
      { path: '*', element: page(() => import('./pages/not-found')) },
    ],
  },
]);

/** Every page but sign-in: the header with its navigation, and the page in `main`. */
function Shell() {
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const signOut = useSignOut();

  // A 401 anywhere means the session ended: read it again, which sends the person to sign in.
  useEffect(() => onSignedOut(() => void client.invalidateQueries({ queryKey: SESSION_KEY })), [client]);

  if (session.isPending) return <Loading what="your session" />;
  if (session.isError) {
    return (
      <main id="main" className="page">
        <h1>Firebreak</h1>
        <ErrorNotice error={session.error} title="The API did not answer" />
      </main>
    );
  }
  if (!session.data) return <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />;

  const who = session.data;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <p className="brand">
          <NavLink to="/incidents">Firebreak</NavLink>
        </p>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/incidents" end>
                Incidents
              </NavLink>
            </li>
            {may(who, 'incident.declare') ? (
              <li>
                <NavLink to="/incidents/new">Declare</NavLink>
              </li>
            ) : null}
            <li>
              <NavLink to="/runbooks">Runbooks</NavLink>
            </li>
            <li>
              <NavLink to="/executions">Executions</NavLink>
            </li>
            <li>
              <NavLink to="/approvals">Approvals</NavLink>
            </li>
            <li>
              <NavLink to="/heartbeats">Heartbeats</NavLink>
            </li>
            <li>
              <NavLink to="/oncall">On call</NavLink>
            </li>
          </ul>
        </nav>
        <div className="who">
          <span>
            {who.name} <span className="muted">({who.role})</span>
          </span>
          <button
            type="button"
            className="secondary"
            disabled={signOut.isPending}
            onClick={() => signOut.mutate(undefined, { onSuccess: () => void navigate('/sign-in', { replace: true }) })}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        {signOut.isError ? <ErrorNotice error={signOut.error} title="Signing out failed" /> : null}
        <Outlet />
      </main>
    </>
  );
}
