import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ExecutionStatus } from '../../../../core/model/execution';
import { useExecutionPage, useRunbooks } from '../api/queries';
import type { ExecutionListItem, ExecutionListQuery } from '../api/types';
import { Age, ErrorNotice, fieldErrorsOf, FilterActions, Loading, SelectField, StatusBadge, TextField, usePageTitle } from '../components/ui';
import { markReady } from '../lib/ready';

const STATUSES = Object.values(ExecutionStatus);
const PAGE_SIZE = 50;

/** Runbook executions, newest first, with filters by runbook, status, incident and waiting approval. */
export default function Executions() {
  usePageTitle('Executions');
  const [params, setParams] = useSearchParams();
  const filters: ExecutionListQuery = {
    runbook: params.get('runbook') ?? undefined,
    status: (params.get('status') as ExecutionStatus | null) ?? undefined,
    incidentId: params.get('incidentId') ?? undefined,
    awaitingApproval: params.get('awaitingApproval') === 'true' ? 'true' : undefined,
  };
  const filterKey = params.toString();
  const [paging, setPaging] = useState<{ key: string; cursors: Array<string | undefined> }>({ key: filterKey, cursors: [undefined] });
  const cursors = paging.key === filterKey ? paging.cursors : [undefined];
  const page = useExecutionPage({ ...filters, limit: PAGE_SIZE, cursor: cursors[cursors.length - 1] });

  useEffect(() => {
    if (page.data) markReady('executions');
  }, [page.data]);

  return (
    <>
      <h1>Executions</h1>
      <ExecutionFilters
        key={filterKey}
        initial={filters}
        error={page.error}
        onApply={(next) => {
          const query = new URLSearchParams();
          for (const [name, value] of Object.entries(next)) if (value !== undefined && value !== '') query.set(name, String(value));
          setParams(query);
        }}
      />
      <ErrorNotice error={page.error} title="Executions could not be read" />
      {page.isPending ? <Loading what="executions" /> : null}
      {page.data ? <ExecutionTable rows={page.data.executions} /> : null}
      <nav className="pager" aria-label="Pages of executions">
        <button type="button" className="secondary" disabled={cursors.length < 2} onClick={() => setPaging({ key: filterKey, cursors: cursors.slice(0, -1) })}>
          Newer
        </button>
        <span>Page {cursors.length}</span>
        <button
          type="button"
          className="secondary"
          disabled={!page.data?.nextCursor}
          onClick={() => setPaging({ key: filterKey, cursors: [...cursors, page.data?.nextCursor ?? undefined] })}
        >
          Older
        </button>
      </nav>
    </>
  );
}

function ExecutionFilters({ initial, onApply, error }: { initial: ExecutionListQuery; onApply: (values: ExecutionListQuery) => void; error: unknown }) {
  const runbooks = useRunbooks();
  const [values, setValues] = useState<ExecutionListQuery>(initial);
  const errors = fieldErrorsOf(error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(values);
  };
  return (
    <form className="filters" role="search" aria-label="Filter executions" onSubmit={submit} noValidate>
      <SelectField
        label="Runbook"
        name="runbook"
        value={values.runbook ?? ''}
        options={runbooks.data?.runbooks.map((runbook) => runbook.id) ?? (values.runbook ? [values.runbook] : [])}
        empty="Any"
        onChange={(runbook) => setValues((held) => ({ ...held, runbook: runbook || undefined }))}
        error={errors.runbook}
      />
      <SelectField
        label="Status"
        name="status"
        value={values.status ?? ''}
        options={STATUSES}
        empty="Any"
        onChange={(status) => setValues((held) => ({ ...held, status: status || undefined }))}
        error={errors.status}
      />
      <TextField label="Incident" name="incidentId" value={values.incidentId ?? ''} onChange={(incidentId) => setValues((held) => ({ ...held, incidentId }))} error={errors.incidentId} />
      <label className="check">
        <input
          type="checkbox"
          name="awaitingApproval"
          checked={values.awaitingApproval === 'true'}
          onChange={(event) => setValues((held) => ({ ...held, awaitingApproval: event.target.checked ? 'true' : undefined }))}
        />{' '}
        Waiting for approval
      </label>
      <FilterActions
        onClear={() => {
          setValues({});
          onApply({});
        }}
      />
    </form>
  );
}

export function ExecutionTable(props: { rows: ExecutionListItem[]; caption?: string; empty?: string }) {
  const { rows, caption = 'Runbook executions, newest first', empty = 'No executions match.' } = props;
  if (rows.length === 0) return <p className="empty">{empty}</p>;
  return (
    <div className="table-wrap">
      <table className="list">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Runbook</th>
            <th scope="col">Status</th>
            <th scope="col">Incident</th>
            <th scope="col">Launched by</th>
            <th scope="col">Started</th>
            <th scope="col">Execution</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((execution) => (
            <tr key={execution.id}>
              <td>
                {execution.title ?? execution.runbookId}
                {execution.dryRun ? <span className="badge"> dry run</span> : null}
              </td>
              <td>
                <StatusBadge status={execution.status} />
                {execution.pendingApproval ? <span className="muted"> {execution.pendingApproval.prompt}</span> : null}
              </td>
              <td>{execution.incidentId ? <Link to={`/incidents/${execution.incidentId}`}>{execution.incidentId}</Link> : '—'}</td>
              <td>{execution.launchedBy ?? '—'}</td>
              <td>
                <Age at={execution.startedAt} />
              </td>
              <td>
                <Link to={`/executions/${execution.id}`}>{execution.id}</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
