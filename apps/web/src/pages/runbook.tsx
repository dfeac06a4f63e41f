import { useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useExecution, useLaunch, useRunbooks } from '../api/queries';
import { runbookLaunchRight } from '../../../../core/model/rights';
import { may, useSession } from '../api/session';
import type { ExecutionView, RunbookSummary } from '../api/types';
import { SchemaFields } from '../components/schema-form';
import { ErrorNotice, fieldErrorsOf, Loading, StatusBadge, TextField, usePageTitle } from '../components/ui';
import { asText } from '../lib/format';
import { fieldOfIssue, fieldsOf, initialValues, inputOf, type FormValues, type JsonSchema } from '../lib/schema-form';
import { ApiError } from '../api/client';

/** One runbook: its input form, generated from its JSON Schema; a dry run's plan; a real run. */
export default function Runbook() {
  const { id = '' } = useParams();
  const runbooks = useRunbooks();
  const runbook = runbooks.data?.runbooks.find((candidate) => candidate.id === id);
  usePageTitle(runbook?.title ?? id);
  if (runbooks.isPending) return <Loading what="the runbook" />;
  if (runbooks.isError) return <ErrorNotice error={runbooks.error} title="The catalog could not be read" />;
  if (!runbook) {
    return (
      <>
        <h1>No runbook {id}</h1>
        <p>
          <Link to="/runbooks">See the catalog</Link>.
        </p>
      </>
    );
  }
  return <RunbookForm key={runbook.id} runbook={runbook} />;
}

function RunbookForm({ runbook }: { runbook: RunbookSummary }) {
  const session = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const schema = runbook.inputSchema as JsonSchema;
  const fields = useMemo(() => fieldsOf(schema), [schema]);
  const [values, setValues] = useState<FormValues>(() => initialValues(schema));
  const [incidentId, setIncidentId] = useState(params.get('incidentId') ?? '');
  const [dryRunId, setDryRunId] = useState<string>();
  const launch = useLaunch(runbook.id);
  // A dry run changes nothing; a real run of a destructive runbook (one with guardrails) needs more.
  const mayPlan = may(session.data, runbookLaunchRight(runbook, true));
  const mayRun = may(session.data, runbookLaunchRight(runbook, false));

  // The API's issues at their fields (`input.step` → step; `input.tags.team` → tags, naming
  // `team`); those about the input as a whole, or a field the form does not show, under it.
  const issues = launch.error instanceof ApiError ? launch.error.issues : [];
  const errors: Record<string, string> = {};
  const loose = [];
  for (const issue of issues) {
    const field = fieldOfIssue(issue.path, fields);
    if (!field) {
      if (issue.path.startsWith('input')) loose.push(issue);
      continue;
    }
    const inner = issue.path.slice(`input.${field}.`.length);
    const message = inner ? `${inner}: ${issue.message}` : issue.message;
    errors[field] = errors[field] ? `${errors[field]}; ${message}` : message;
  }
  const topErrors = fieldErrorsOf(launch.error);

  const start = (dryRun: boolean) => {
    setDryRunId(undefined);
    launch.mutate(
      { input: inputOf(fields, values), dryRun, ...(incidentId.trim() ? { incidentId: incidentId.trim() } : {}) },
      { onSuccess: (created) => (dryRun ? setDryRunId(created.id) : void navigate(`/executions/${created.id}`)) },
    );
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start(false);
  };

  return (
    <>
      <p className="muted">
        <Link to="/runbooks">Runbooks</Link> / <code>{runbook.id}</code>
      </p>
      <h1>{runbook.title}</h1>
      <p>{runbook.description}</p>
      <form className="form" onSubmit={submit} noValidate aria-labelledby="input-heading">
        <h2 id="input-heading">Input</h2>
        <SchemaFields fields={fields} values={values} errors={errors} onChange={(name, value) => setValues((held) => ({ ...held, [name]: value }))} />
        {loose.map((issue) => (
          <p key={issue.path} className="field-error">
            {issue.path}: {issue.message}
          </p>
        ))}
        <TextField
          label="Attach to incident"
          name="incidentId"
          value={incidentId}
          onChange={setIncidentId}
          error={topErrors.incidentId}
          hint="Optional: an incident id (inc-…). The run's steps appear on its timeline."
        />
        {launch.isError ? <ErrorNotice error={launch.error} title="Not started" /> : null}
        {mayPlan ? (
          <div className="button-row">
            <button type="button" className="secondary" disabled={launch.isPending} onClick={() => start(true)}>
              Dry run
            </button>
            {mayRun ? (
              <button type="submit" disabled={launch.isPending}>
                Run
              </button>
            ) : null}
          </div>
        ) : null}
        {!mayPlan ? <p className="muted">Your role ({session.data?.role}) reads runbooks but does not run them.</p> : null}
        {mayPlan && !mayRun ? <p className="muted">This runbook is destructive: a commander or an admin runs it; your role ({session.data?.role}) may dry-run it.</p> : null}
      </form>
      {dryRunId ? <DryRunPlan id={dryRunId} /> : null}
    </>
  );
}

/** A dry run's plan: every side effect the run would have, none of them made. */
function DryRunPlan({ id }: { id: string }) {
  const execution = useExecution(id);
  const data: ExecutionView | undefined = execution.data;
  const plan = data?.plan ?? [];
  return (
    <section aria-labelledby="plan-heading" className="panel">
      <h2 id="plan-heading">Dry run plan</h2>
      <p role="status">
        {!data ? 'Planning…' : <>Dry run <StatusBadge status={data.status} />: {plan.length} {plan.length === 1 ? 'step' : 'steps'}; nothing was changed.</>}{' '}
        <Link to={`/executions/${id}`}>Open the dry run</Link>
      </p>
      <ErrorNotice error={execution.error} title="The plan could not be read" />
      {data?.outcome?.error ? <ErrorNotice error={new Error(data.outcome.error)} title="The dry run stopped" /> : null}
      {plan.length ? (
        <ol className="plan" aria-label="Planned steps">
          {plan.map((step) => (
            <li key={step.step}>
              <code>{step.action}</code>
              <pre>{asText(step.args)}</pre>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
