import { useEffect } from 'react';
import { Link } from 'react-router';
import { useHeartbeats } from '../api/queries';
import { Age, ErrorNotice, Loading, Time, usePageTitle } from '../components/ui';
import { markReady } from '../lib/ready';

/** Heartbeat monitors (dead-man switches): last ping, and the incident a silence declared. */
export default function Heartbeats() {
  usePageTitle('Heartbeats');
  const heartbeats = useHeartbeats();

  useEffect(() => {
    if (heartbeats.data) markReady('heartbeats');
  }, [heartbeats.data]);

  return (
    <>
      <h1>Heartbeats</h1>
      <p>Each monitor expects a ping in time; when pings stop, it declares an incident.</p>
      <ErrorNotice error={heartbeats.error} title="Heartbeats could not be read" />
      {heartbeats.isPending ? <Loading what="heartbeats" /> : null}
      {heartbeats.data && heartbeats.data.heartbeats.length === 0 ? <p className="empty">No monitors in runbooks/heartbeats.ts.</p> : null}
      {heartbeats.data && heartbeats.data.heartbeats.length > 0 ? (
        <div className="table-wrap">
          <table className="list">
            <caption className="visually-hidden">Heartbeat monitors</caption>
            <thead>
              <tr>
                <th scope="col">Monitor</th>
                <th scope="col">State</th>
                <th scope="col">Last ping</th>
                <th scope="col">Due by</th>
                <th scope="col">Pings</th>
                <th scope="col">Incidents declared</th>
              </tr>
            </thead>
            <tbody>
              {heartbeats.data.heartbeats.map((monitor) => (
                <tr key={monitor.name}>
                  <td>{monitor.name}</td>
                  <td>
                    {monitor.openIncidentId ? (
                      <>
                        <span className="badge status-triggered">silent</span> <Link to={`/incidents/${monitor.openIncidentId}`}>{monitor.openIncidentId}</Link>
                      </>
                    ) : monitor.pings === 0 ? (
                      <span className="badge">not pinged yet</span>
                    ) : (
                      <span className="badge status-resolved">healthy</span>
                    )}
                  </td>
                  <td>
                    <Age at={monitor.lastPingAt} />
                  </td>
                  <td>{monitor.deadlineAt ? <Time at={monitor.deadlineAt} /> : '—'}</td>
                  <td>{monitor.pings}</td>
                  <td>{monitor.incidentsDeclared}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
