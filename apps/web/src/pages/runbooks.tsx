import { Link, useSearchParams } from 'react-router';
import { useRunbooks } from '../api/queries';
import { ErrorNotice, Loading, usePageTitle } from '../components/ui';

/** The runbook catalog: what each runbook does, what starts it, and its guardrails. */
export default function Runbooks() {
  usePageTitle('Runbooks');
  const runbooks = useRunbooks();
  const [params] = useSearchParams();
  const incidentId = params.get('incidentId');
  const suffix = incidentId ? `?incidentId=${encodeURIComponent(incidentId)}` : '';
  return (
    <>
      <h1>Runbooks</h1>
      {incidentId ? (
        <p>
          Choose a runbook to run for incident <Link to={`/incidents/${incidentId}`}>{incidentId}</Link>.
        </p>
      ) : null}
      {runbooks.isPending ? <Loading what="runbooks" /> : null}
      <ErrorNotice error={runbooks.error} title="The catalog could not be read" />
      {runbooks.data ? (
        <ul className="cards">
          {runbooks.data.runbooks.map((runbook) => (
            <li key={runbook.id} className="card">
              <h2>
                <Link to={`/runbooks/${runbook.id}${suffix}`}>{runbook.title}</Link>
              </h2>
              <p className="muted">
                <code>{runbook.id}</code> · version {runbook.version}
              </p>
              <p>{runbook.description}</p>
              {runbook.triggers.length ? (
                <p>
                  Starts on alerts matching:{' '}
                  {runbook.triggers
                    .map((trigger) =>
                      Object.entries(trigger.match)
                        .map(([label, value]) => `${label}=${value}`)
                        .join(', '),
                    )
                    .join('; ')}
                  {runbook.triggers.some((trigger) => trigger.everyAlert) ? ' (every alert)' : ''}
                </p>
              ) : null}
              {runbook.guardrails ? (
                <p className="muted">
                  Guardrails: {runbook.guardrails.singleFlight ? 'one run per target at a time' : 'runs may overlap'}
                  {runbook.guardrails.budget ? `; at most ${runbook.guardrails.budget.max} runs per ${runbook.guardrails.budget.windowMinutes} min` : ''}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
